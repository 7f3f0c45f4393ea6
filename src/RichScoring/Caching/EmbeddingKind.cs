namespace RichScoring;

/// <summary>What an embedding was computed from; part of every <see cref="EmbeddingCacheKey"/>.</summary>
public enum EmbeddingKind
{
    /// <summary>A prompt text.</summary>
    Text = 1,

    /// <summary>An image file.</summary>
    Image = 2,
}
