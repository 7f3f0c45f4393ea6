using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx;

/// <summary>Finds and loads a folder's tokenizer files; any problem becomes a <see cref="ModelFolderException"/>.</summary>
internal static class TokenizerLoader
{
    public static ITextTokenizer Load(ModelFolder folder)
    {
        try
        {
            if (folder.Family == ModelFamily.SigLip)
            {
                var spiece = folder.File("spiece.model")
                    ?? throw folder.Error($"a SigLIP model needs its SentencePiece tokenizer 'spiece.model'; found {folder.DescribeContents()}.");
                return SigLipTokenizer.CreateFromFile(spiece, folder.ContextLength ?? 64);
            }

            var context = folder.ContextLength ?? 77;
            if (folder.File("vocab.json") is { } vocab && folder.File("merges.txt") is { } merges)
            {
                return ClipTokenizer.CreateFromFiles(vocab, merges, context);
            }

            if (folder.File("tokenizer.json") is { } json)
            {
                return ClipTokenizer.CreateFromTokenizerJsonFile(json, context);
            }

            if (folder.File("bpe_simple_vocab_16e6.txt.gz") is { } gz)
            {
                return ClipTokenizer.CreateFromOpenAIVocabularyFile(gz, context);
            }

            throw folder.Error(
                "a CLIP text model needs tokenizer files: vocab.json + merges.txt, tokenizer.json, or bpe_simple_vocab_16e6.txt.gz; " +
                $"found {folder.DescribeContents()}.");
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or IOException or System.Text.Json.JsonException or ArgumentException)
        {
            throw folder.Error($"the tokenizer cannot be loaded: {ex.Message}", ex);
        }
    }
}
