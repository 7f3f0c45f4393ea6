namespace RichScoring.Tests.Embeddings;

public class EmbeddingBatchTests
{
    [Fact]
    public void Rows_are_views_into_one_contiguous_buffer()
    {
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var batch = new EmbeddingBatch(data, dimension: 3, "m");

        Assert.Equal(2, batch.Count);
        Assert.Equal(new float[] { 4, 5, 6 }, batch.GetRow(1).ToArray());
        batch.GetRow(0)[2] = 42;
        Assert.Equal(42, data[2]); // no copy
        Assert.False(batch.IsNormalized);
    }

    [Fact]
    public void Constructor_rejects_a_buffer_that_is_not_whole_rows()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EmbeddingBatch(new float[7], 3, "m"));
        Assert.Contains("7 values", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddingBatch(new float[6], 0, "m"));
        Assert.Throws<ArgumentException>(() => new EmbeddingBatch(new float[6], 3, " "));
    }

    [Fact]
    public void GetRow_checks_bounds()
    {
        var batch = EmbeddingBatch.Create(2, 4, "m");
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.GetRow(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.GetRow(-1));
    }

    [Fact]
    public void Normalize_gives_unit_rows_and_leaves_zero_rows_zero()
    {
        var batch = new EmbeddingBatch([3, 4, 0, 0, 0, 0, 1, 1, 1], 3, "m");

        batch.Normalize();

        Assert.True(batch.IsNormalized);
        Assert.Equal(0.6f, batch.GetRow(0)[0], 6);
        Assert.Equal(0.8f, batch.GetRow(0)[1], 6);
        Assert.Equal(new float[] { 0, 0, 0 }, batch.GetRow(1).ToArray());
        Assert.All(batch.GetRow(2).ToArray(), v => Assert.Equal(1 / MathF.Sqrt(3), v, 6));
    }

    [Fact]
    public void Select_copies_rows_in_the_given_order_and_keeps_the_model()
    {
        var batch = new EmbeddingBatch([1, 1, 2, 2, 3, 3], 2, "m", isNormalized: true);

        var picked = batch.Select([2, 0, 2]);

        Assert.Equal(new float[] { 3, 3, 1, 1, 3, 3 }, picked.Span.ToArray());
        Assert.Equal("m", picked.ModelId);
        Assert.True(picked.IsNormalized);
    }

    [Fact]
    public void An_empty_batch_is_allowed()
    {
        var batch = EmbeddingBatch.Create(0, 512, "m");
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.Span.Length);
        batch.Normalize();
        Assert.True(batch.IsNormalized);
    }
}
