using System.Text.Json;
using RichScoring.Testing;

namespace RichScoring.Onnx.Tests.Tokenization;

public sealed class ClipTokenizerGoldenTests
{
    [Fact]
    public void Every_reference_case_gives_OpenAIs_ids_exactly()
    {
        var tokenizer = ClipTestTokenizers.OpenAI();
        using var reference = JsonDocument.Parse(File.ReadAllText(TestData.RequireFile("clip/reference-token-ids.json")));
        var cases = reference.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(20, cases.Count);

        var failures = new List<string>();
        foreach (var testCase in cases)
        {
            var text = testCase.GetProperty("text").GetString()!;
            var expected = testCase.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray();
            var actual = tokenizer.Encode(text);
            if (!actual.Ids.SequenceEqual(expected) || actual.Truncated)
            {
                failures.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(", ", expected)}], got {actual}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Empty_text_is_start_and_end_token()
    {
        // Microsoft.ML.Tokenizers gives no ids at all for ""; OpenAI's tokenizer gives these two.
        var encoded = ClipTestTokenizers.OpenAI().Encode(string.Empty);

        Assert.Equal([49406, 49407], encoded.Ids);
        Assert.False(encoded.Truncated);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\t\n\u3000\u00A0")]
    [InlineData("\u001C")] // not \s for the regex module, but str.strip() removes it
    public void Text_of_white_space_only_is_start_and_end_token(string text)
    {
        Assert.Equal([49406, 49407], ClipTestTokenizers.OpenAI().Encode(text).Ids);
    }
}
