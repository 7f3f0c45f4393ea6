using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace RichScoring;

/// <summary>
/// Identifies a cached embedding: the model (embedding space), what was encoded (an image or a text) and the SHA-256 of
/// the input (the image file's bytes, or the prompt's UTF-8 bytes), so the same bytes under another URL still hit.
/// </summary>
public readonly struct EmbeddingCacheKey : IEquatable<EmbeddingCacheKey>
{
    // Model ids are few; remembering their short hashes saves a SHA-256 per key on the hot path.
    private static readonly ConcurrentDictionary<string, string> ModelTags = new(StringComparer.Ordinal);

    internal EmbeddingCacheKey(string modelId, EmbeddingKind kind, string digest)
    {
        ModelId = modelId;
        Kind = kind;
        Digest = digest;
    }

    /// <summary>The model whose embedding space the entry belongs to.</summary>
    public string ModelId { get; }

    /// <summary>Whether the entry is an image or a text embedding.</summary>
    public EmbeddingKind Kind { get; }

    /// <summary>The SHA-256 of the input, as 64 lowercase hex digits.</summary>
    public string Digest { get; }

    /// <summary>A short, file-name-safe stand-in for <see cref="ModelId"/> (16 hex digits of its SHA-256).</summary>
    internal string ModelTag => ModelTags.GetOrAdd(ModelId, static id => Sha256Hex(Encoding.UTF8.GetBytes(id))[..16]);

    /// <summary>Whether this is <c>default</c> (no model, no digest): such a key is never valid.</summary>
    internal bool IsDefault => Digest is null;

    /// <summary>The key of an image's embedding.</summary>
    /// <param name="modelId">The model's id (<see cref="EncoderMetadata.ModelId"/>).</param>
    /// <param name="imageData">The encoded image file, exactly as fetched.</param>
    public static EmbeddingCacheKey ForImage(string modelId, ReadOnlySpan<byte> imageData)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return new EmbeddingCacheKey(modelId, EmbeddingKind.Image, Sha256Hex(imageData));
    }

    /// <summary>The key of a prompt's embedding.</summary>
    /// <param name="modelId">The model's id (<see cref="EncoderMetadata.ModelId"/>).</param>
    /// <param name="text">The prompt, exactly as sent to the encoder.</param>
    public static EmbeddingCacheKey ForText(string modelId, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(text);
        return new EmbeddingCacheKey(modelId, EmbeddingKind.Text, Sha256Hex(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Whether two keys are equal.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">Another key.</param>
    public static bool operator ==(EmbeddingCacheKey left, EmbeddingCacheKey right) => left.Equals(right);

    /// <summary>Whether two keys differ.</summary>
    /// <param name="left">A key.</param>
    /// <param name="right">Another key.</param>
    public static bool operator !=(EmbeddingCacheKey left, EmbeddingCacheKey right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(EmbeddingCacheKey other) =>
        Kind == other.Kind && string.Equals(Digest, other.Digest, StringComparison.Ordinal) && string.Equals(ModelId, other.ModelId, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EmbeddingCacheKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Digest, ModelId);

    /// <summary>The key as <c>kind:model:digest</c>, for logs.</summary>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{ModelId}:{Digest}";

    internal void ThrowIfDefault()
    {
        if (IsDefault)
        {
            throw new ArgumentException("A default EmbeddingCacheKey is not a key: create keys with ForImage or ForText.");
        }
    }

    private static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }
}
