namespace RichScoring;

/// <summary>What is wanted and what is not: a set of positive prompts and a set of negative prompts.</summary>
/// <remarks>
/// For "duck": positives <c>Prompt.Concept("duck")</c> (expanded through templates) and "a mallard on water";
/// negatives "a rubber duck", "a cartoon duck", "a goose". Strings convert to literal prompts.
/// </remarks>
public sealed class ScoringQuery
{
    /// <summary>Creates a query with positive prompts only.</summary>
    /// <param name="positive">Prompts describing a wanted image; at least one.</param>
    public ScoringQuery(IEnumerable<Prompt> positive)
        : this(positive, (IEnumerable<Prompt>?)null)
    {
    }

    /// <summary>Creates a query.</summary>
    /// <param name="positive">Prompts describing a wanted image; at least one.</param>
    /// <param name="negative">Prompts describing look-alikes that are not wanted; may be empty or null.</param>
    public ScoringQuery(IEnumerable<Prompt> positive, IEnumerable<Prompt>? negative)
    {
        ArgumentNullException.ThrowIfNull(positive);
        Positive = Validate(positive, nameof(positive));
        Negative = negative is null ? [] : Validate(negative, nameof(negative));
        if (Positive.Count == 0)
        {
            throw new ArgumentException("A query needs at least one positive prompt.", nameof(positive));
        }
    }

    /// <summary>Creates a query from literal texts.</summary>
    /// <param name="positive">Texts describing a wanted image; at least one.</param>
    /// <param name="negative">Texts describing unwanted look-alikes; may be empty or null.</param>
    public ScoringQuery(IEnumerable<string> positive, IEnumerable<string>? negative)
        : this(Texts(positive, nameof(positive)), negative is null ? null : Texts(negative, nameof(negative)))
    {
    }

    /// <summary>Prompts describing a wanted image.</summary>
    public IReadOnlyList<Prompt> Positive { get; }

    /// <summary>Prompts describing unwanted look-alikes.</summary>
    public IReadOnlyList<Prompt> Negative { get; }

    private static Prompt[] Texts(IEnumerable<string> texts, string paramName)
    {
        ArgumentNullException.ThrowIfNull(texts, paramName);
        string[] list = [.. texts];
        for (var i = 0; i < list.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(list[i]))
            {
                throw new ArgumentException($"Prompt {i} is empty.", paramName);
            }
        }

        return [.. list.Select(Prompt.Text)];
    }

    private static Prompt[] Validate(IEnumerable<Prompt> prompts, string paramName)
    {
        Prompt[] list = [.. prompts];
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] is null)
            {
                throw new ArgumentException($"Prompt {i} is null.", paramName);
            }
        }

        return list;
    }
}
