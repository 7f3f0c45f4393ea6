using System.Diagnostics.CodeAnalysis;

namespace RichScoring;

/// <summary>How a persistent cache tier stores the values of an embedding.</summary>
public enum EmbeddingPrecision
{
    /// <summary>IEEE float32, 4 bytes a value: stored and read back exactly.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "float32/float16 are the names of the storage formats.")]
    Float32 = 1,

    /// <summary>
    /// IEEE float16, 2 bytes a value: half the size, at a relative error of at most 2⁻¹¹ (about 5e-4) per value, so a
    /// cosine similarity moves by about 1e-3 at most. Unit-norm embeddings are renormalized when read.
    /// </summary>
    Float16 = 2,
}
