using Microsoft.ML.OnnxRuntime;

namespace RichScoring.Onnx.Tests.Encoders;

/// <summary>
/// One ONNX Runtime session per model file (GUIDE §5): the two towers of a combined model.onnx share one, and
/// whichever order the encoders, the model and a pipeline are disposed in, it is released once, after its last user.
/// </summary>
public sealed class SessionSharingTests(ModelFolderFixture models) : IClassFixture<ModelFolderFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ImageInput[] Red() => [new("red", TestImages.FlatPng(255, 0, 0))];

    [Fact]
    public async Task Both_encoders_of_a_combined_model_run_one_session()
    {
        using var model = ClipModel.Load(models.Optimum);

        var text = model.TextEncoder;
        var image = model.ImageEncoder;

        Assert.Same(text.Session, image.Session);
        Assert.Same(text.GetService<InferenceSession>(), image.GetService<InferenceSession>());
        Assert.Equal(Path.Combine(models.Optimum, "model.onnx"), text.Session.Path);
        Assert.Equal(1, (await text.EncodeAsync(["red"], Ct)).Count);
        Assert.Equal(0, (await image.EncodeAsync(Red(), Ct)).FailedCount);
    }

    [Fact]
    public void A_combined_model_file_is_opened_once()
    {
        var opened = 0;
        using var model = ClipModel.Load(models.Optimum, new OnnxModelOptions { ConfigureSession = _ => Interlocked.Increment(ref opened) });

        _ = model.TextEncoder;
        _ = model.ImageEncoder;

        Assert.Equal(1, opened);
    }

    [Fact]
    public void Split_files_get_one_session_each()
    {
        var opened = 0;
        using var model = ClipModel.Load(models.Split, new OnnxModelOptions { ConfigureSession = _ => Interlocked.Increment(ref opened) });

        Assert.NotSame(model.TextEncoder.Session, model.ImageEncoder.Session);
        Assert.Equal(Path.Combine(models.Split, "onnx", "text_model.onnx"), model.TextEncoder.Session.Path);
        Assert.Equal(Path.Combine(models.Split, "onnx", "vision_model.onnx"), model.ImageEncoder.Session.Path);
        Assert.Equal(2, opened);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_one_encoder_leaves_the_other_working_until_the_model_is_disposed(bool textFirst)
    {
        var model = ClipModel.Load(models.Optimum);
        var text = model.TextEncoder;
        var image = model.ImageEncoder;
        var session = text.Session;
        Func<Task> useText = () => text.EncodeAsync(["red"], Ct);
        Func<Task> useImage = () => image.EncodeAsync(Red(), Ct);
        var (first, useFirst, useOther) = textFirst ? ((IDisposable)text, useText, useImage) : (image, useImage, useText);

        first.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(useFirst);
        Assert.False(session.IsReleased);
        await useOther(); // the shared session is still open for the other tower

        model.Dispose();

        Assert.True(session.IsReleased);
        await Assert.ThrowsAsync<ObjectDisposedException>(useOther); // a clear error, not a run on a closed session
        text.Dispose(); // repeated disposal anywhere is harmless
        image.Dispose();
        model.Dispose();
        Assert.True(session.IsReleased);
    }

    [Fact]
    public async Task Disposing_the_model_first_disposes_its_encoders_and_releases_the_session()
    {
        var model = ClipModel.Load(models.Optimum);
        var text = model.TextEncoder;
        var image = model.ImageEncoder;
        var session = text.Session;

        model.Dispose();

        Assert.True(session.IsReleased);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => text.EncodeAsync(["red"], Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => image.EncodeAsync(Red(), Ct));
        Assert.Throws<ObjectDisposedException>(() => model.TextEncoder);
        text.Dispose(); // an owner that also disposes the encoders after the model does no harm
        image.Dispose();
    }

    [Fact]
    public async Task Split_sessions_are_released_by_the_model_too()
    {
        var model = ClipModel.Load(models.Split);
        var text = model.TextEncoder.Session;
        var image = model.ImageEncoder.Session;
        model.TextEncoder.Dispose();

        Assert.False(text.IsReleased); // the model still holds it
        Assert.Equal(0, (await model.ImageEncoder.EncodeAsync(Red(), Ct)).FailedCount);
        model.Dispose();

        Assert.True(text.IsReleased);
        Assert.True(image.IsReleased);
    }

    [Fact]
    public void A_standalone_encoder_owns_its_session()
    {
        var text = ClipTextEncoder.Create(models.Optimum);
        var image = ClipImageEncoder.Create(models.Optimum);

        Assert.NotSame(text.Session, image.Session); // two owners, two sessions: use ClipModel to share one
        text.Dispose();
        Assert.True(text.Session.IsReleased);
        Assert.False(image.Session.IsReleased);
        image.Dispose();
        Assert.True(image.Session.IsReleased);
    }

    [Fact]
    public async Task A_pipeline_built_with_UseClip_releases_the_shared_session_when_disposed()
    {
        ClipTextEncoder? text = null;
        ClipImageEncoder? image = null;
        var pipeline = new ScoringPipelineBuilder()
            .UseClip(models.Optimum)
            .UseTextEncoder(inner => text = Assert.IsType<ClipTextEncoder>(inner))
            .UseImageEncoder(inner => image = Assert.IsType<ClipImageEncoder>(inner))
            .WithPositive("a photo of something red")
            .WithNegative("a photo of something blue")
            .Build();

        var result = await pipeline.ScoreAsync([Candidate.FromBytes("red", TestImages.FlatPng(255, 0, 0, 400, 300))], cancellationToken: Ct);

        Assert.True(result.Ranked.Count == 1, string.Join("; ", result.Outcomes.Select(o => $"{o.Status}: {o.Reason}")));
        Assert.NotNull(text);
        Assert.NotNull(image);
        Assert.Same(text.Session, image.Session);
        pipeline.Dispose();
        Assert.True(text.Session.IsReleased);
    }
}
