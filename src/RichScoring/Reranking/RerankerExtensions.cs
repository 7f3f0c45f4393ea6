namespace RichScoring;

/// <summary>Conveniences over <see cref="IReranker"/>.</summary>
public static class RerankerExtensions
{
    /// <summary>Asks the reranker for an object of type <typeparamref name="TService"/>.</summary>
    /// <typeparam name="TService">The type of object wanted.</typeparam>
    /// <param name="reranker">The reranker.</param>
    /// <param name="serviceKey">An optional key.</param>
    public static TService? GetService<TService>(this IReranker reranker, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        return reranker.GetService(typeof(TService), serviceKey) is TService service ? service : default;
    }
}
