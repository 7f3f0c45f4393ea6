namespace RichScoring;

/// <summary>Conveniences over <see cref="IDeduplicator"/>.</summary>
public static class DeduplicatorExtensions
{
    /// <summary>Asks the deduplicator for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted.</typeparam>
    /// <param name="deduplicator">The deduplicator.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this IDeduplicator deduplicator, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(deduplicator);
        return deduplicator.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
