namespace RichScoring;

/// <summary>
/// One member of a query's positive or negative set: either a literal text ("a rubber duck") or a concept ("duck")
/// expanded through a template ensemble ("a photo of a {}", "a side view of a {}", …) whose embeddings are averaged
/// and renormalized, as CLIP's zero-shot prompt ensembling does.
/// </summary>
public sealed record Prompt
{
    private Prompt(string value, PromptTemplateSet? templates)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value.Trim();
        Templates = templates;
    }

    /// <summary>The literal text, or the concept that fills the templates.</summary>
    public string Value { get; }

    /// <summary>The template set of a concept; <see langword="null"/> for a literal text.</summary>
    public PromptTemplateSet? Templates { get; }

    /// <summary>Whether this prompt is a concept expanded through templates.</summary>
    public bool IsConcept => Templates is not null;

    /// <summary>A literal prompt, encoded as it is.</summary>
    /// <param name="text">The prompt text.</param>
    public static Prompt Text(string text) => new(text, null);

    /// <summary>A concept expanded through a template set (the default set when none is given).</summary>
    /// <param name="concept">The word or phrase that fills each template's <c>{}</c>, for example <c>duck</c>.</param>
    /// <param name="templates">The templates; <see cref="PromptTemplateSet.Default"/> when omitted.</param>
    public static Prompt Concept(string concept, PromptTemplateSet? templates = null) => new(concept, templates ?? PromptTemplateSet.Default);

    /// <summary>A literal prompt from a string.</summary>
    /// <param name="text">The prompt text.</param>
    public static implicit operator Prompt(string text) => Text(text);

    /// <summary>The texts this prompt is encoded as: itself, or one per template.</summary>
    public IReadOnlyList<string> Expand() => Templates is null ? [Value] : Templates.Apply(Value);

    /// <summary>A short label for reports: the text, or <c>duck (7 templates)</c>.</summary>
    public override string ToString() => Templates is null ? Value : $"{Value} ({Templates.Name}, {Templates.Templates.Count} templates)";
}
