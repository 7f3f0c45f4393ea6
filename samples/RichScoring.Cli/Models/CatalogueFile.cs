using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>
/// One file of a catalogue entry, as it is named in the Hugging Face repository (forward slashes) and in the
/// model folder. <see cref="Variant"/> null means every variant needs it (tokenizer, configs).
/// </summary>
/// <param name="Path">The path inside the repository and inside the model folder.</param>
/// <param name="Variant">The weights this file belongs to; null for files every variant needs.</param>
internal sealed record CatalogueFile(string Path, ModelVariant? Variant = null)
{
    /// <summary>The exact size in bytes. When set it is enforced; leave it null for files of a moving revision.</summary>
    public long? Size { get; init; }

    /// <summary>The exact SHA-256 (lowercase hex). When set it is enforced; pins belong with a pinned revision.</summary>
    public string? Sha256 { get; init; }

    /// <summary>About how large the file is, for listings before it is downloaded.</summary>
    public long? ApproximateSize { get; init; }

    /// <summary>The size to show: the exact one when known, else the approximation.</summary>
    public long? DisplaySize => Size ?? ApproximateSize;
}
