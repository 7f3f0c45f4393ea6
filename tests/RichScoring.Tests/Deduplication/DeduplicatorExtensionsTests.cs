namespace RichScoring.Tests.Deduplication;

public class DeduplicatorExtensionsTests
{
    [Fact]
    public void GetService_returns_the_deduplicator_itself_for_its_own_type()
    {
        var remover = new NearDuplicateRemover();
        Assert.Same(remover, remover.GetService<NearDuplicateRemover>());
        Assert.Same(remover, remover.GetService<IDeduplicator>());

        IDeduplicator diversifier = new MmrDiversifier();
        Assert.Same(diversifier, diversifier.GetService<MmrDiversifier>());
    }

    [Fact]
    public void GetService_returns_null_for_an_unrelated_type_or_a_key()
    {
        IDeduplicator deduplicator = new NearDuplicateRemover();
        Assert.Null(deduplicator.GetService<MmrDiversifier>());
        Assert.Null(deduplicator.GetService<IScorer>());
        Assert.Null(deduplicator.GetService<NearDuplicateRemover>(serviceKey: "other"));
    }

    [Fact]
    public void GetService_rejects_a_null_deduplicator()
    {
        IDeduplicator deduplicator = null!;
        Assert.Equal("deduplicator", Assert.Throws<ArgumentNullException>(() => deduplicator.GetService<NearDuplicateRemover>()).ParamName);
    }
}
