namespace RichScoring;

/// <summary>Conveniences over <see cref="IScorer"/>.</summary>
public static class ScorerExtensions
{
    /// <summary>Asks the scorer for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted.</typeparam>
    /// <param name="scorer">The scorer.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this IScorer scorer, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        return scorer.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
