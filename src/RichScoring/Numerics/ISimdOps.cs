using System.Runtime.Intrinsics;

namespace RichScoring.Numerics;

/// <summary>
/// The few vector operations the kernels need, implemented once per width so that one generic kernel source serves
/// Vector128, Vector256 and Vector512 (the JIT specialises and inlines per struct type argument).
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
internal interface ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Gets the number of floats in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>Gets the all-zero vector.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Broadcasts <paramref name="value"/>.</summary>
    static abstract TVec Create(float value);

    /// <summary>Loads <see cref="Count"/> floats at <paramref name="source"/> + <paramref name="elementOffset"/>.</summary>
    static abstract TVec Load(ref float source, nuint elementOffset);

    /// <summary>Stores <paramref name="value"/> at <paramref name="destination"/> + <paramref name="elementOffset"/>.</summary>
    static abstract void Store(TVec value, ref float destination, nuint elementOffset);

    /// <summary><paramref name="left"/> * <paramref name="right"/> + <paramref name="addend"/>, fused where the hardware can.</summary>
    static abstract TVec MultiplyAdd(TVec left, TVec right, TVec addend);

    /// <summary>Lane-wise sum.</summary>
    static abstract TVec Add(TVec left, TVec right);

    /// <summary>Lane-wise difference.</summary>
    static abstract TVec Subtract(TVec left, TVec right);

    /// <summary>Lane-wise eˣ (the runtime's vectorised exponential).</summary>
    static abstract TVec Exp(TVec value);

    /// <summary>Lane-wise product.</summary>
    static abstract TVec Multiply(TVec left, TVec right);

    /// <summary>Lane-wise maximum (inputs never hold NaN here).</summary>
    static abstract TVec Max(TVec left, TVec right);

    /// <summary>Replaces NaN lanes with <paramref name="replacement"/>.</summary>
    static abstract TVec ReplaceNaN(TVec value, TVec replacement);

    /// <summary>Sum of all lanes.</summary>
    static abstract float Sum(TVec value);

    /// <summary>
    /// The lane sums of four vectors as one 4-float vector (one store instead of four scalar reductions; the
    /// horizontal adds were a tenth of the matrix kernel's time done one accumulator at a time).
    /// </summary>
    static abstract Vector128<float> Sum4(TVec a, TVec b, TVec c, TVec d);

    /// <summary>Maximum of all lanes (no NaN lanes).</summary>
    static abstract float MaxAcross(TVec value);

    /// <summary>Index of the first lane equal (IEEE ==) to <paramref name="target"/>, or -1.</summary>
    static abstract int IndexOfFirstEqual(TVec value, TVec target);

    /// <summary>
    /// A mask (all bits set) on the last <paramref name="newLanes"/> lanes and zero elsewhere: the masked reload of
    /// the final, overlapping vector keeps only the elements the main loop has not seen.
    /// </summary>
    static abstract TVec TailMask(int newLanes);

    /// <summary>Bitwise AND (used with <see cref="TailMask"/>; 0 bits give +0, so 0 * Inf never appears).</summary>
    static abstract TVec And(TVec value, TVec mask);
}
