namespace RichScoring;

/// <summary>Settings of a <see cref="DirectoryEmbeddingCache"/>.</summary>
public sealed class DirectoryEmbeddingCacheOptions
{
    /// <summary>How values are stored: <see cref="EmbeddingPrecision.Float32"/> (default, exact) or float16 (half the bytes).</summary>
    public EmbeddingPrecision Precision { get; set; } = EmbeddingPrecision.Float32;

    /// <summary>
    /// Most bytes of entry files to keep, or <see langword="null"/> (default) for no bound. Past it, the least recently
    /// used files are deleted down to 80 % of the bound (use refreshes a file's write time).
    /// </summary>
    public long? MaxBytes { get; set; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Precision))
        {
            throw new ArgumentException($"{nameof(DirectoryEmbeddingCacheOptions)}.{nameof(Precision)} is not a known precision: {Precision}.");
        }

        if (MaxBytes is < 1)
        {
            throw new ArgumentException($"{nameof(DirectoryEmbeddingCacheOptions)}.{nameof(MaxBytes)} must be at least 1 when set, got {MaxBytes}.");
        }
    }
}
