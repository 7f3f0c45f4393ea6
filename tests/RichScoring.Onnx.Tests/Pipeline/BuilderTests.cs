using Microsoft.Extensions.DependencyInjection;

namespace RichScoring.Onnx.Tests.Pipeline;

/// <summary>Builder validation and dependency-injection registration.</summary>
public sealed class BuilderTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Settings_are_validated_with_messages_that_name_them()
    {
        Assert.Contains("No encoders", Assert.Throws<InvalidOperationException>(() => new ScoringPipelineBuilder().WithPositive("x").Build()).Message, StringComparison.Ordinal);
        Assert.Contains("Weight 'clip'", Assert.Throws<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).WithWeight("clip", -1).Build()).Message, StringComparison.Ordinal);
        Assert.Contains("TopK", Assert.Throws<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).TopK(0).Build()).Message, StringComparison.Ordinal);
        Assert.Contains("no positive prompt", Assert.Throws<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).WithNegative("a goose").Build()).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).Deduplicate(1.5f).Build());
        Assert.ThrowsAny<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).Diversify(-0.1f).Build());
        Assert.ThrowsAny<ArgumentException>(() => new ScoringPipelineBuilder().UseClip(fixture.Folder).MinShortestSide(-5).Build());
    }

    [Fact]
    public void A_missing_model_folder_fails_at_build_with_the_folder_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rs-no-such-model-" + Guid.NewGuid().ToString("N"));

        // Configuring is fine (the folder may be downloaded before building); validating and building are not.
        var builder = new ScoringPipelineBuilder().UseClip(missing).WithPositive("x");
        var validate = Assert.Throws<ModelFolderException>(builder.Validate);
        Assert.Equal($"Model folder '{missing}' does not exist.", validate.Message);
        var build = Assert.Throws<ModelFolderException>(() => builder.Build());
        Assert.Contains(missing, build.Message, StringComparison.Ordinal);

        // Replacing the encoders replaces the check that came with them.
        using var model = ClipModel.Load(fixture.Folder);
        new ScoringPipelineBuilder().UseClip(missing).UseEncoders(model.TextEncoder, model.ImageEncoder).WithPositive("x").Validate();
    }

    [Fact]
    public void Dependency_injection_rejects_a_missing_model_folder_at_registration()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rs-no-such-model-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();

        var ex = Assert.Throws<ModelFolderException>(() => services.AddRichScoring(b => b.UseClip(missing).WithPositive("red")));
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
        Assert.Equal(missing, ex.Folder);
        var keyed = Assert.Throws<ModelFolderException>(() => services.AddKeyedRichScoring("b", b => b.UseClip(missing).WithPositive("red")));
        Assert.Contains(missing, keyed.Message, StringComparison.Ordinal);
        Assert.Empty(services); // nothing half-registered
    }

    [Fact]
    public async Task Dependency_injection_fails_resolution_with_the_folder_named_when_the_model_went_away()
    {
        // Valid at registration, gone by the time the pipeline is first resolved.
        var copy = Directory.CreateTempSubdirectory("rs-model-copy-").FullName;
        foreach (var file in Directory.EnumerateFiles(fixture.Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(fixture.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var services = new ServiceCollection();
        services.AddRichScoring(b => b.UseClip(copy).WithPositive("red"));
        await using var provider = services.BuildServiceProvider();
        Directory.Delete(copy, recursive: true);

        var ex = Assert.Throws<ModelFolderException>(() => provider.GetRequiredService<ScoringPipeline>());
        Assert.Contains(copy, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_builder_builds_once()
    {
        var builder = new ScoringPipelineBuilder().UseClip(fixture.Folder).WithPositive("red");
        using var pipeline = builder.Build();
        Assert.Throws<InvalidOperationException>(() => builder.Build());
    }

    [Fact]
    public async Task A_query_is_required_when_there_is_no_default()
    {
        // No positive prompt at build is allowed on purpose: the prompts then come with each call.
        var builder = new ScoringPipelineBuilder().UseClip(fixture.Folder);
        builder.Validate();
        using var pipeline = builder.Build();
        Assert.Null(pipeline.DefaultQuery);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => pipeline.ScoreAsync([PipelineFixture.Flat("r", 255, 0, 0)], cancellationToken: Ct));
        Assert.Equal("query", missing.ParamName);
        Assert.StartsWith("No query: this pipeline was built without positive prompts (WithPositive), so every ScoreAsync call must pass a ScoringQuery.", missing.Message, StringComparison.Ordinal);

        // A per-call query cannot be empty either.
        var empty = Assert.Throws<ArgumentException>(() => new ScoringQuery([], ["blue"]));
        Assert.StartsWith("A query needs at least one positive prompt.", empty.Message, StringComparison.Ordinal);

        var result = await pipeline.ScoreAsync([PipelineFixture.Flat("r", 255, 0, 0), PipelineFixture.Flat("b", 0, 0, 255)], new ScoringQuery(["red"]), cancellationToken: Ct);
        Assert.Equal(["r", "b"], result.Ranked.Select(o => o.Candidate.Id));

        // Without negatives a softmax would give every image 1; the default falls back to cosines and says so.
        Assert.True(result.Ranked[0].Score > result.Ranked[1].Score + 0.5f);
        Assert.True(result.Ranked[0].Score <= 1f);
        Assert.Contains(result.Warnings, w => w.Contains("no negative prompts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dependency_injection_registers_singletons_and_keyed_pipelines_side_by_side()
    {
        var services = new ServiceCollection();
        services.AddRichScoring(b => b.UseClip(fixture.Folder).WithPositive("red").WithNegative("blue"));
        services.AddKeyedRichScoring("strict", b => b.UseClip(fixture.Folder).WithPositive("red").Threshold(2f).Configure(o => o.ZeroResultFallback = false));
        await using var provider = services.BuildServiceProvider();

        var main = provider.GetRequiredService<ScoringPipeline>();
        var strict = provider.GetRequiredKeyedService<ScoringPipeline>("strict");

        Assert.Same(main, provider.GetRequiredService<ScoringPipeline>());
        Assert.NotSame(main, strict);
        Candidate[] candidates = [PipelineFixture.Flat("red", 230, 10, 10), PipelineFixture.Flat("blue", 0, 0, 230)];
        Assert.Equal(2, (await main.ScoreAsync(candidates, cancellationToken: Ct)).Ranked.Count);
        Assert.Empty((await strict.ScoreAsync(candidates, cancellationToken: Ct)).Ranked);
    }

    [Fact]
    public void Dependency_injection_checks_settings_at_registration()
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<ArgumentException>(() => services.AddRichScoring(b => b.UseClip(fixture.Folder).WithPositive("red").WithWeight("clip", float.NaN)));
        Assert.Contains("Weight 'clip'", ex.Message, StringComparison.Ordinal);
    }

    private sealed class Tracing(ITextEncoder inner, string name, List<string> log) : DelegatingTextEncoder(inner)
    {
        public override Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            log.Add(name);
            return base.EncodeAsync(texts, cancellationToken);
        }
    }

    private sealed class TracingImages(IImageEncoder inner, string name, List<string> log) : DelegatingImageEncoder(inner)
    {
        public override Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
        {
            log.Add(name);
            return base.EncodeAsync(images, cancellationToken);
        }
    }

    [Fact]
    public async Task Decorators_stack_first_added_outermost_and_sit_inside_the_cache()
    {
        var log = new List<string>();
        using var pipeline = new ScoringPipelineBuilder()
            .UseClip(fixture.Folder)
            .WithPositive("red")
            .UseTextEncoder(inner => new Tracing(inner, "text-outer", log))
            .UseTextEncoder(inner => new Tracing(inner, "text-inner", log))
            .UseImageEncoder(inner => new TracingImages(inner, "image-outer", log))
            .UseImageEncoder(inner => new TracingImages(inner, "image-inner", log))
            .Build();
        Candidate[] candidates = [PipelineFixture.Flat("r", 255, 0, 0)];

        await pipeline.ScoreAsync(candidates, cancellationToken: Ct);
        Assert.Equal(["text-outer", "text-inner", "image-outer", "image-inner"], log);

        // Second call: prompts and the image come from the cache, so no decorator is reached.
        log.Clear();
        var again = await pipeline.ScoreAsync(candidates, cancellationToken: Ct);
        Assert.Empty(log);
        Assert.Single(again.Ranked);

        // The chain is visible through GetService from the outside in.
        Assert.NotNull(pipeline.TextEncoder.GetService<Tracing>());
        Assert.NotNull(pipeline.ImageEncoder.GetService<EncoderMetadata>());
    }
}
