namespace RichScoring;

/// <summary>A named set of prompt templates; each holds <c>{}</c> where the concept goes.</summary>
public sealed class PromptTemplateSet
{
    /// <summary>Creates a set.</summary>
    /// <param name="name">A short name shown in reports (for example <c>reference</c>).</param>
    /// <param name="templates">Templates, each containing <c>{}</c> exactly once.</param>
    public PromptTemplateSet(string name, IEnumerable<string> templates)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(templates);
        string[] list = [.. templates];
        if (list.Length == 0)
        {
            throw new ArgumentException("A template set needs at least one template.", nameof(templates));
        }

        foreach (var t in list)
        {
            var first = t?.IndexOf("{}", StringComparison.Ordinal) ?? -1;
            if (first < 0 || t!.IndexOf("{}", first + 2, StringComparison.Ordinal) >= 0)
            {
                throw new ArgumentException($"Template \"{t}\" must contain '{{}}' exactly once.", nameof(templates));
            }
        }

        Name = name;
        Templates = list;
    }

    /// <summary>
    /// The default set, chosen for reference images of objects: photographs from several views, whole and close up
    /// (a subset of the ensemble CLIP used for zero-shot ImageNet).
    /// </summary>
    public static PromptTemplateSet Default { get; } = new("reference",
    [
        "a photo of a {}.",
        "a good photo of a {}.",
        "a close-up photo of a {}.",
        "a side view of a {}.",
        "a photo of the whole {}.",
        "a bright photo of a {}.",
        "a photo of a large {}.",
    ]);

    /// <summary>One template, "a photo of a {}." — the single prompt CLIP's paper starts from.</summary>
    public static PromptTemplateSet OnePhoto { get; } = new("one-photo", ["a photo of a {}."]);

    /// <summary>Styles that are usually unwanted for modelling references, handy as negative concepts.</summary>
    public static PromptTemplateSet Unwanted { get; } = new("unwanted",
    [
        "a cartoon {}.",
        "a drawing of a {}.",
        "a toy {}.",
        "a plastic {}.",
        "an icon of a {}.",
        "a logo of a {}.",
    ]);

    /// <summary>The set's name.</summary>
    public string Name { get; }

    /// <summary>The templates.</summary>
    public IReadOnlyList<string> Templates { get; }

    /// <summary>Fills every template with <paramref name="concept"/>.</summary>
    /// <param name="concept">The concept, for example <c>duck</c>.</param>
    public IReadOnlyList<string> Apply(string concept)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(concept);
        return [.. Templates.Select(t => t.Replace("{}", concept, StringComparison.Ordinal))];
    }
}
