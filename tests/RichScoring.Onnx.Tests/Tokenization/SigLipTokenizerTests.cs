using RichScoring.Onnx.Tokenization;
using static RichScoring.Onnx.Tests.Tokenization.SentencePieceModelBuilder;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class SigLipTokenizerTests
{
    private const int Eos = 1;

    // Expected ids: Hugging Face's SiglipTokenizer algorithm run on the real SentencePiece library (0.1.97) with the
    // same model bytes. Piece ids: 3 ▁, 4 ▁a, 5 ▁photo, 6 ▁of, 7 ▁cat, 9 t, 14 h, 16 at, 17 ▁c, 20 ▁dog, 21 s, 2 <unk>.
    [Theory]
    [InlineData("A photo of a cat.", new[] { 4, 5, 6, 4, 7, Eos })]
    [InlineData("a photo of a cats", new[] { 4, 5, 6, 4, 7, 21, Eos })] // ▁cat+s beats ▁ca+t+s and ▁c+at+s
    [InlineData("chat", new[] { 17, 14, 16, Eos })] // ▁c+h+at beats ▁+c+h+at
    [InlineData("xyz cat", new[] { 3, 2, 7, Eos })] // a run of unknown characters is one <unk>
    [InlineData("\u00E9t\u00E9 cat", new[] { 3, 2, 9, 2, 7, Eos })]
    [InlineData("", new[] { Eos })]
    [InlineData(" a cat", new[] { 3, 4, 7, Eos })] // Hugging Face keeps a "▁" for leading white space
    [InlineData("A, PHOTO! of: a (cat)", new[] { 4, 5, 6, 4, 7, Eos })] // lower-cased, ASCII punctuation removed
    [InlineData("a\u2581cat", new[] { 4, 7, Eos })] // "▁" in the text is a space
    [InlineData("a photo of a dog", new[] { 4, 5, 6, 4, 20, Eos })]
    [InlineData("photo photo photo", new[] { 5, 5, 5, Eos })]
    public void Encodes_as_Hugging_Faces_SiglipTokenizer(string text, int[] expected)
    {
        var encoded = Create().Encode(text);

        Assert.Equal(expected, encoded.Ids);
        Assert.False(encoded.Truncated);
    }

    [Theory]
    // Piece scores taken from a trained model: "p"+"pp" and "pp"+"p" differ only in rounding. SentencePiece sums a
    // candidate in double precision; Microsoft.ML.Tokenizers 2.0.1 in float, and picks "p"+"pp" (ids 3, 6, 5).
    [InlineData("ppp", new[] { 3, 5, 6, Eos })]
    [InlineData("ppppp", new[] { 3, 5, 5, 6, Eos })]
    [InlineData("gappp", new[] { 7, 8, 5, 6, Eos })]
    [InlineData("pppp", new[] { 3, 5, 5, Eos })]
    public void Ties_break_as_in_SentencePiece(string text, int[] expected)
    {
        (string, float, int)[] pieces =
        [
            ("<pad>", 0, Control), ("</s>", 0, Control), ("<unk>", 0, Unknown),
            ("\u2581", -3.8227806091308594f, Normal), ("g", -5.862644195556641f, Normal), ("pp", -5.478294849395752f, Normal),
            ("p", -6.247457981109619f, Normal), ("\u2581g", -7.1f, Normal), ("a", -4.1f, Normal), ("\u2581a", -3.3f, Normal),
        ];
        using var model = new MemoryStream(Build(pieces));

        Assert.Equal(expected, SigLipTokenizer.Create(model).Encode(text).Ids);
    }

    [Fact]
    public void Long_text_is_cut_with_the_end_token_last()
    {
        var tokenizer = Create(contextLength: 4);

        var cut = tokenizer.Encode("a photo of a cat");
        var fits = Create(contextLength: 6).Encode("a photo of a cat");

        Assert.Equal([4, 5, 6, Eos], cut.Ids);
        Assert.True(cut.Truncated);
        Assert.Equal([4, 5, 6, 4, 7, Eos], fits.Ids);
        Assert.False(fits.Truncated);
    }

    [Fact]
    public void Defaults_follow_SigLIP()
    {
        ITextTokenizer tokenizer = Create();

        Assert.Equal(64, tokenizer.ContextLength);
        Assert.Equal(Eos, tokenizer.PaddingId);
        Assert.True(tokenizer.RequiresFullContext);
    }

    [Fact]
    public void Model_with_a_bos_piece_loads_too()
    {
        using var model = new MemoryStream(SigLipStyle(bosId: 0));

        Assert.Equal([4, 7, Eos], SigLipTokenizer.Create(model).Encode("a cat").Ids);
    }

    [Fact]
    public void Not_a_model_is_reported_with_the_file_name()
    {
        using var stream = new MemoryStream([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);

        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(stream));

        Assert.StartsWith("spiece.model is not a SentencePiece model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_model_is_reported()
    {
        var bytes = SigLipStyle();
        using var stream = new MemoryStream(bytes[..^3]);

        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(stream));

        Assert.StartsWith("spiece.model is not a SentencePiece model: a field of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_of_pieces_only_is_reported()
    {
        using var stream = new MemoryStream(SigLipStyle(withSpecs: false));

        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(stream));

        Assert.StartsWith("spiece.model is not a complete SentencePiece model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(new MemoryStream()));

        Assert.Equal("spiece.model is not a SentencePiece model: it holds no pieces.", error.Message);
    }

    [Fact]
    public void Model_without_an_end_piece_is_rejected()
    {
        using var stream = new MemoryStream(SigLipStyle(eosId: -1));

        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(stream));

        Assert.Contains("eos_id -1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, false, "model_type 2")]
    [InlineData(1, true, "byte_fallback")]
    public void Unsupported_models_are_rejected(int modelType, bool byteFallback, string message)
    {
        using var stream = new MemoryStream(SigLipStyle(modelType: modelType, byteFallback: byteFallback));

        var error = Assert.Throws<InvalidDataException>(() => SigLipTokenizer.Create(stream));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "spiece.model");

        var error = Assert.Throws<FileNotFoundException>(() => SigLipTokenizer.CreateFromFile(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_follows_Hugging_Face()
    {
        Assert.Equal("\u2581a photo of a cat", SigLipTokenizer.Canonicalize("  A, Photo\tof\u2581a (CAT)!  "[2..]));
        Assert.Equal("\u2581 a", SigLipTokenizer.Canonicalize("  a"));
        Assert.Equal("\u2581\u03C3", SigLipTokenizer.Canonicalize("\u03A3")); // one character at a time: no final sigma
        Assert.Equal("\u2581i\u0307", SigLipTokenizer.Canonicalize("\u0130"));
    }

    internal static SigLipTokenizer Create(int contextLength = 64)
    {
        using var model = new MemoryStream(SigLipStyle());
        return SigLipTokenizer.Create(model, contextLength);
    }
}
