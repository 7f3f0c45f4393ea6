namespace RichScoring.Tests.Contracts;

public class RequestValidationTests
{
    private static EncodedQuery Query(string model = "m", int dim = 4) =>
        new(new ScoringQuery(["a photo of a duck"], ["a rubber duck", "a cartoon duck"]),
            EmbeddingBatch.Create(1, dim, model), EmbeddingBatch.Create(2, dim, model));

    [Fact]
    public void A_query_needs_a_positive_prompt_and_no_blank_ones()
    {
        Assert.Throws<ArgumentException>(() => new ScoringQuery([]));
        var ex = Assert.Throws<ArgumentException>(() => new ScoringQuery(["duck"], ["goose", " "]));
        Assert.Contains("Prompt 1 is empty", ex.Message, StringComparison.Ordinal);
        Assert.Empty(new ScoringQuery(["duck"]).Negative);
    }

    [Fact]
    public void Encoded_query_must_have_one_row_per_prompt()
    {
        var q = new ScoringQuery(["a", "b"], ["c"]);
        Assert.Throws<ArgumentException>(() => new EncodedQuery(q, EmbeddingBatch.Create(1, 4, "m"), EmbeddingBatch.Create(1, 4, "m")));
        Assert.Throws<ArgumentException>(() => new EncodedQuery(q, EmbeddingBatch.Create(2, 4, "m"), EmbeddingBatch.Create(1, 4, "other")));
        Assert.Equal(2, new EncodedQuery(q, EmbeddingBatch.Create(2, 4, "m"), EmbeddingBatch.Create(1, 4, "m")).Positive.Count);
    }

    [Fact]
    public void Scoring_request_refuses_images_from_another_model()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScoringRequest(Query(), EmbeddingBatch.Create(2, 4, "other"), ["x", "y"]));
        Assert.Contains("'other'", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ScoringRequest(Query(), EmbeddingBatch.Create(2, 4, "m"), ["x"]));
        Assert.Equal(2, new ScoringRequest(Query(), EmbeddingBatch.Create(2, 4, "m"), ["x", "y"]).Count);
    }

    [Fact]
    public void Deduplication_request_must_align()
    {
        Assert.Throws<ArgumentException>(() => new DeduplicationRequest(["a", "b"], [1f], EmbeddingBatch.Create(2, 3, "m")));
        var ok = new DeduplicationRequest(["a", "b"], [1f, 0.5f], EmbeddingBatch.Create(2, 3, "m"));
        Assert.Equal(0.5f, ok.Scores[1]);
    }

    [Fact]
    public void Score_batch_and_image_result_must_align()
    {
        Assert.Throws<ArgumentException>(() => new ScoreBatch([1f, 2f], [new ScoreBreakdown()]));
        Assert.Throws<ArgumentException>(() => new ImageEncodingResult(EmbeddingBatch.Create(2, 3, "m"), [null]));

        var result = new ImageEncodingResult(EmbeddingBatch.Create(3, 3, "m"), [null, new InvalidDataException("bad"), null]);
        Assert.Equal(1, result.FailedCount);
        Assert.True(result.IsSuccess(0));
        Assert.False(result.IsSuccess(1));
        Assert.Equal("bad", result.GetError(1)!.Message);
    }
}
