using System.Text;
using System.Text.Json;

namespace RichScoring.Onnx.Tests.Models;

/// <summary>
/// A tiny CLIP-style byte-level BPE vocabulary (vocab.json + merges.txt) in which every word of
/// <see cref="Words"/> is one token. Layout as OpenAI's: 256 byte symbols, the same with "&lt;/w&gt;", the merges,
/// then &lt;|startoftext|&gt; and &lt;|endoftext|&gt; last, so the end token has the highest id (CLIP pools at the argmax).
/// </summary>
internal sealed class ColourVocabulary
{
    public static readonly string[] Words =
    [
        "red", "green", "blue", "yellow", "cyan", "magenta", "white", "black",
        "photo", "of", "something", "an", "image", "the", "duck", "picture",
    ];

    private ColourVocabulary(Dictionary<string, int> vocab, List<(string Left, string Right)> merges)
    {
        Vocab = vocab;
        Merges = merges;
        StartId = vocab["<|startoftext|>"];
        EndId = vocab["<|endoftext|>"];
    }

    public Dictionary<string, int> Vocab { get; }

    public List<(string Left, string Right)> Merges { get; }

    public int StartId { get; }

    public int EndId { get; }

    public int Size => Vocab.Count;

    public static ColourVocabulary Create()
    {
        var byteChars = BytesToUnicode();
        var vocab = new Dictionary<string, int>();
        foreach (var c in byteChars)
        {
            vocab[c] = vocab.Count;
        }

        foreach (var c in byteChars)
        {
            vocab[c + "</w>"] = vocab.Count;
        }

        var merges = new List<(string, string)>();
        foreach (var word in Words)
        {
            // Merge left to right: "r e" → "re", "re d</w>" → "red</w>".
            var left = word[..1];
            for (var k = 1; k < word.Length; k++)
            {
                var right = k == word.Length - 1 ? word[k] + "</w>" : word[k].ToString();
                if (!merges.Contains((left, right)))
                {
                    merges.Add((left, right));
                }

                left += right;
                vocab.TryAdd(left, vocab.Count);
            }
        }

        vocab["<|startoftext|>"] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        return new ColourVocabulary(vocab, merges);
    }

    public int WordId(string word) => Vocab[word + "</w>"];

    public void WriteVocabJson(string path) => File.WriteAllText(path, JsonSerializer.Serialize(Vocab));

    public void WriteMergesTxt(string path)
    {
        var sb = new StringBuilder("#version: 0.2\n");
        foreach (var (l, r) in Merges)
        {
            sb.Append(l).Append(' ').Append(r).Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    // GPT-2 / CLIP byte → printable unicode mapping.
    private static List<string> BytesToUnicode()
    {
        var bs = new List<int>();
        for (var b = '!'; b <= '~'; b++)
        {
            bs.Add(b);
        }

        for (var b = 0xA1; b <= 0xAC; b++)
        {
            bs.Add(b);
        }

        for (var b = 0xAE; b <= 0xFF; b++)
        {
            bs.Add(b);
        }

        var cs = new List<int>(bs);
        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!bs.Contains(b))
            {
                bs.Add(b);
                cs.Add(256 + n++);
            }
        }

        return [.. cs.Select(c => ((char)c).ToString())];
    }
}
