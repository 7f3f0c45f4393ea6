namespace RichScoring.Tests.Reranking;

public class RerankerExtensionsTests
{
    /// <summary>A reranker that gives every candidate the same score (the library has no concrete one of its own).</summary>
    private sealed class ConstantReranker(float score) : IReranker
    {
        public Task<IReadOnlyList<RerankScore>> RerankAsync(RerankRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            return Task.FromResult<IReadOnlyList<RerankScore>>([.. request.Candidates.Select(c => new RerankScore(c.Image.Id, score))]);
        }

        public object? GetService(Type serviceType, object? serviceKey = null)
        {
            ArgumentNullException.ThrowIfNull(serviceType);
            return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
        }
    }

    [Fact]
    public void GetService_returns_the_reranker_itself_for_its_own_type()
    {
        IReranker reranker = new ConstantReranker(0.5f);
        Assert.Same(reranker, reranker.GetService<ConstantReranker>());
        Assert.Same(reranker, reranker.GetService<IReranker>());
    }

    [Fact]
    public void GetService_returns_null_for_an_unrelated_type_or_a_key()
    {
        IReranker reranker = new ConstantReranker(0.5f);
        Assert.Null(reranker.GetService<IScorer>());
        Assert.Null(reranker.GetService<string>());
        Assert.Null(reranker.GetService<ConstantReranker>(serviceKey: "other"));
    }

    [Fact]
    public void GetService_rejects_a_null_reranker()
    {
        IReranker reranker = null!;
        Assert.Equal("reranker", Assert.Throws<ArgumentNullException>(() => reranker.GetService<ConstantReranker>()).ParamName);
    }
}
