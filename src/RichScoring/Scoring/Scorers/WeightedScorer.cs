namespace RichScoring;

/// <summary>
/// A weighted sum of named component scorers, <c>S_combined = Σ wᵢ · sᵢ</c> — the design note's
/// <c>α · S_clip + β · S_vlm</c>, plus any other terms (for example <c>heuristics</c>).
/// </summary>
/// <remarks>
/// <para>
/// The breakdown lists one component per scorer, in the order given, named by its key, with its score as the value
/// and its weight, so that <c>Σ Weight · Value</c> over the components is the combined score. It carries the best
/// positive and negative prompt of the first component that reports them (the CLIP one), and the rejection reasons
/// of every component (joined by <c>"; "</c>): a filter anywhere rejects the combination. A weight of 0 removes a
/// component from the sum but not its filters.
/// </para>
/// <para>
/// Scale: whatever the weights make of the components' scales (see each scorer). Components run one after another
/// on the same request. Thread-safe when its components are.
/// </para>
/// </remarks>
public sealed class WeightedScorer : IScorer
{
    private readonly string[] _names;
    private readonly IScorer[] _scorers;
    private readonly float[] _weights;

    /// <summary>Creates the combination.</summary>
    /// <param name="components">The component scorers by name, in breakdown order; at least one, names unique.</param>
    /// <param name="options">The weights; <see langword="null"/> for weight 1 everywhere.</param>
    /// <exception cref="ArgumentException">No component, a blank or repeated name, a null scorer, or a weight out of range.</exception>
    public WeightedScorer(IEnumerable<KeyValuePair<string, IScorer>> components, WeightedScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        options ??= new WeightedScorerOptions();
        options.Validate(nameof(options));

        KeyValuePair<string, IScorer>[] list = [.. components];
        if (list.Length == 0)
        {
            throw new ArgumentException("A weighted scorer needs at least one component.", nameof(components));
        }

        _names = new string[list.Length];
        _scorers = new IScorer[list.Length];
        _weights = new float[list.Length];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Length; i++)
        {
            var (name, scorer) = list[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"Component {i} has no name.", nameof(components));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Component name '{name}' is used twice.", nameof(components));
            }

            _names[i] = name;
            _scorers[i] = scorer ?? throw new ArgumentException($"Component '{name}' has no scorer.", nameof(components));
            _weights[i] = options.Get(name);
        }
    }

    /// <summary>The component names, in order.</summary>
    internal IReadOnlyList<string> Names => _names;

    /// <inheritdoc />
    public async ValueTask<ScoreBatch> ScoreAsync(ScoringRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();

        var count = request.Count;
        var batches = new ScoreBatch[_scorers.Length];
        for (var c = 0; c < _scorers.Length; c++)
        {
            var batch = await _scorers[c].ScoreAsync(request, cancellationToken).ConfigureAwait(false);
            if (batch is null || batch.Count != count)
            {
                throw new InvalidOperationException(
                    $"Component '{_names[c]}' returned {batch?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} scores for {count} candidates.");
            }

            batches[c] = batch;
        }

        var values = new float[count];
        var breakdowns = new ScoreBreakdown[count];
        for (var i = 0; i < count; i++)
        {
            var components = new ScoreComponent[_scorers.Length];
            var total = 0f;
            PromptMatch? bestPositive = null;
            PromptMatch? bestNegative = null;
            var prompted = false;
            string? rejection = null;
            for (var c = 0; c < batches.Length; c++)
            {
                var value = batches[c].Values[i];
                var inner = batches[c].Breakdowns[i];
                components[c] = new ScoreComponent(_names[c], value, _weights[c]);
                total += _weights[c] * value;
                if (!prompted && inner.BestPositive is not null)
                {
                    (bestPositive, bestNegative, prompted) = (inner.BestPositive, inner.BestNegative, true);
                }

                if (inner.RejectionReason is { } reason)
                {
                    rejection = rejection is null ? reason : $"{rejection}; {reason}";
                }
            }

            values[i] = total;
            breakdowns[i] = new ScoreBreakdown
            {
                Components = components,
                BestPositive = bestPositive,
                BestNegative = bestNegative,
                RejectionReason = rejection,
            };
        }

        return new ScoreBatch(values, breakdowns);
    }

    /// <inheritdoc />
    /// <remarks>Answers for itself, else asks each component in order.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        foreach (var scorer in _scorers)
        {
            if (scorer.GetService(serviceType, serviceKey) is { } service)
            {
                return service;
            }
        }

        return null;
    }
}
