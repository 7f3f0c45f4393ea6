using RichScoring.Numerics;

namespace RichScoring;

/// <summary>
/// Picks a varied top K by Maximal Marginal Relevance: each next pick maximises
/// <c>λ · score(i) − (1 − λ) · max over picked j of cos(i, j)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The first pick is the best-scored candidate; ties always go to the candidate ranked first. With λ = 1 the picks are
/// the top K by score; with λ = 0, after the first, each pick is the candidate least similar to all picked so far.
/// </para>
/// <para>
/// Contract: nothing is removed (<see cref="DeduplicationResult.Removed"/> is empty, as not being picked is not being a
/// duplicate). <see cref="DeduplicationResult.Kept"/> holds every candidate: the min(K, count) picked ones first, in
/// the order they were picked, then the others in their original rank order; <see cref="DeduplicationResult.SelectedCount"/>
/// is the number picked. Run <see cref="NearDuplicateRemover"/> first to drop near-duplicates outright.
/// </para>
/// <para>
/// λ weighs a score against a cosine directly, so the two should be on comparable scales; by default the scores are
/// min-max scaled to [0, 1] first (<see cref="MmrDiversifierOptions.NormalizeScores"/>). A NaN or −∞ score counts as
/// the lowest finite score of the request and +∞ as the highest. An embedding holding NaN or ±Inf counts as having
/// cosine 0 with every other. Embeddings not marked normalised are normalised in a copy; the request is never changed.
/// </para>
/// <para>
/// Cost: one similarity row (count × dimension multiply-adds) per pick, O(K · count · dimension) in all; cancellation
/// is checked between picks. The work runs synchronously on the calling thread (the kernel may add worker threads).
/// Instances are immutable and thread-safe.
/// </para>
/// </remarks>
public sealed class MmrDiversifier : IDeduplicator
{
    private readonly float _lambda;
    private readonly int _topK;
    private readonly bool _normalizeScores;
    private readonly SimilarityOptions _similarity;

    /// <summary>Creates a diversifier.</summary>
    /// <param name="options">The settings (copied); <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public MmrDiversifier(MmrDiversifierOptions? options = null)
    {
        options ??= new MmrDiversifierOptions();
        options.Validate();
        _lambda = options.Lambda;
        _topK = options.TopK;
        _normalizeScores = options.NormalizeScores;
        _similarity = new SimilarityOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
    }

    /// <summary>λ, the weight of relevance against novelty.</summary>
    internal float Lambda => _lambda;

    /// <summary>How many candidates are picked.</summary>
    internal int TopK => _topK;

    /// <inheritdoc />
    /// <remarks>
    /// The picked candidates come first in <see cref="DeduplicationResult.Kept"/>, then the others in rank order;
    /// see the class remarks. A cancelled token gives a cancelled task.
    /// </remarks>
    public ValueTask<DeduplicationResult> DeduplicateAsync(DeduplicationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DeduplicationResult>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Diversify(request, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<DeduplicationResult>(cancellationToken);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>
    /// The scores as MMR weighs them: non-finite ones clamped to the finite range (NaN to its bottom), then scaled to
    /// [0, 1] when asked (all equal scores become 1).
    /// </summary>
    internal static float[] Relevance(ReadOnlySpan<float> scores, bool normalize)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var score in scores)
        {
            if (float.IsFinite(score))
            {
                min = Math.Min(min, score);
                max = Math.Max(max, score);
            }
        }

        if (min > max)
        {
            return new float[scores.Length]; // no finite score: all equally (ir)relevant
        }

        var relevance = new float[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            var score = float.IsNaN(scores[i]) ? min : Math.Clamp(scores[i], min, max);
            relevance[i] = !normalize ? score : max > min ? (score - min) / (max - min) : 1f;
        }

        return relevance;
    }

    internal DeduplicationResult Diversify(DeduplicationRequest request, CancellationToken cancellationToken)
    {
        var count = request.Count;
        if (count == 0)
        {
            return new DeduplicationResult([], [], 0);
        }

        var picks = Math.Min(_topK, count);
        var dimension = request.Embeddings.Dimension;
        var rows = DeduplicationEmbeddings.Normalized(request.Embeddings).Span;
        var usable = DeduplicationEmbeddings.UsableRows(rows, dimension);
        var relevance = Relevance(request.Scores, _normalizeScores);
        var picked = new bool[count];
        var order = new List<int>(count);

        // Running max similarity of every candidate to the picked set (−∞ while nothing is picked).
        var maxSimilarity = new float[count];
        maxSimilarity.AsSpan().Fill(float.NegativeInfinity);
        var similarities = new float[count];
        var novelty = 1f - _lambda;

        // The first pick is the best score; the clamped scores keep distinctions that scaling might round away.
        var clamped = Relevance(request.Scores, normalize: false);
        var next = 0;
        for (var i = 1; i < count; i++)
        {
            if (clamped[i] > clamped[next])
            {
                next = i;
            }
        }

        while (true)
        {
            picked[next] = true;
            order.Add(next);
            if (order.Count == picks)
            {
                break;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (usable[next])
            {
                EmbeddingMath.SimilarityMatrix(rows.Slice(next * dimension, dimension), rows, dimension, similarities, _similarity);
            }
            else
            {
                Array.Clear(similarities);
            }

            next = -1;
            var best = float.NegativeInfinity;
            for (var i = 0; i < count; i++)
            {
                if (picked[i])
                {
                    continue;
                }

                var similarity = usable[i] ? similarities[i] : 0f;
                if (similarity > maxSimilarity[i])
                {
                    maxSimilarity[i] = similarity;
                }

                var objective = (_lambda * relevance[i]) - (novelty * maxSimilarity[i]);
                if (next < 0 || objective > best)
                {
                    next = i;
                    best = objective;
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (!picked[i])
            {
                order.Add(i);
            }
        }

        return new DeduplicationResult(order, [], picks);
    }
}
