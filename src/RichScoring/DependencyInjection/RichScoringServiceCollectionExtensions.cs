using Microsoft.Extensions.DependencyInjection;

namespace RichScoring;

/// <summary>Registers scoring pipelines with dependency injection.</summary>
public static class RichScoringServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="ScoringPipeline"/> singleton built by <paramref name="configure"/>. The settings are checked
    /// here, as <see cref="ScoringPipelineBuilder.Validate"/> does (weights out of range, negatives without positives,
    /// missing encoders, and a missing or unusable model folder given to <c>UseClip</c>, whose exception names the folder);
    /// the pipeline is assembled on first use (its ONNX sessions are created when first needed).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the builder; called once to validate and once to build, so keep it free of side effects.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRichScoring(this IServiceCollection services, Action<ScoringPipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        Check(configure);
        services.AddSingleton(sp => Build(sp, configure));
        return services;
    }

    /// <summary>
    /// Registers a keyed <see cref="ScoringPipeline"/> singleton, so a host can hold several pipelines side by side
    /// (for example two models in an A/B comparison). Resolve it with <c>[FromKeyedServices(key)]</c> or
    /// <c>GetRequiredKeyedService&lt;ScoringPipeline&gt;(key)</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key.</param>
    /// <param name="configure">Configures the builder; called once to validate and once to build.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddKeyedRichScoring(this IServiceCollection services, object serviceKey, Action<ScoringPipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        Check(configure);
        services.AddKeyedSingleton(serviceKey, (sp, _) => Build(sp, configure));
        return services;
    }

    private static void Check(Action<ScoringPipelineBuilder> configure)
    {
        var probe = new ScoringPipelineBuilder();
        configure(probe);
        probe.Validate();
    }

    private static ScoringPipeline Build(IServiceProvider services, Action<ScoringPipelineBuilder> configure)
    {
        var builder = new ScoringPipelineBuilder();
        configure(builder);
        return builder.Build(services);
    }
}
