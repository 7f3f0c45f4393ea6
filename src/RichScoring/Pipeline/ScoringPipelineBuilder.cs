using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace RichScoring;

/// <summary>
/// Assembles a <see cref="ScoringPipeline"/>: encoders, the default query, scorers and their weights, heuristics,
/// threshold, dedup, diversity, reranker and fetcher. Options are validated in <see cref="Build"/>, with errors that
/// name the bad setting. Single use: <see cref="Build"/> may be called once.
/// </summary>
/// <example>
/// <code>
/// var pipeline = new ScoringPipelineBuilder()
///     .UseClip("models/clip-vit-base-patch32")          // RichScoring.Onnx
///     .WithPositive(Prompt.Concept("duck"))
///     .WithNegative("a rubber duck", "a cartoon duck", "a goose")
///     .MinShortestSide(200)
///     .Deduplicate(0.95f)
///     .Diversify(0.5f)
///     .TopK(12)
///     .Build();
/// </code>
/// </example>
public sealed class ScoringPipelineBuilder
{
    private readonly List<Prompt> _positive = [];
    private readonly List<Prompt> _negative = [];
    private readonly ScoringPipelineOptions _options = new();
    private readonly HeuristicOptions _heuristics = new();
    private readonly Dictionary<string, float> _weights = new(StringComparer.Ordinal);
    private Func<IServiceProvider?, ILoggerFactory?, (ITextEncoder Text, IImageEncoder Image, IDisposable? Owner)>? _encoders;
    private Action? _validateEncoders;
    private Func<EncoderMetadata, IScorer>? _clipScorer;
    private IScorer? _scorer;
    private NearDuplicateRemoverOptions? _dedup;
    private MmrDiversifierOptions? _diversity;
    private IReranker? _reranker;
    private Func<ICandidateFetcher>? _fetcher;
    private bool _ownsFetcher;
    private readonly List<Func<ITextEncoder, ITextEncoder>> _textDecorators = [];
    private readonly List<Func<IImageEncoder, IImageEncoder>> _imageDecorators = [];
    private ILoggerFactory? _loggerFactory;
    private int _textCacheCapacity = 4096;
    private IEmbeddingCache? _embeddingCache;
    private Action<DistributedEmbeddingCacheOptions>? _distributedCache;
    private bool _built;

    /// <summary>Uses the given encoders (they must share one embedding space).</summary>
    /// <param name="textEncoder">Encodes prompts.</param>
    /// <param name="imageEncoder">Encodes candidate images.</param>
    public ScoringPipelineBuilder UseEncoders(ITextEncoder textEncoder, IImageEncoder imageEncoder)
    {
        ArgumentNullException.ThrowIfNull(textEncoder);
        ArgumentNullException.ThrowIfNull(imageEncoder);
        _encoders = (_, _) => (textEncoder, imageEncoder, null);
        _validateEncoders = null;
        return this;
    }

    /// <summary>Creates the encoders when the pipeline is built (used by model-loading extensions such as <c>UseClip</c>).</summary>
    /// <param name="factory">
    /// Receives the service provider (null outside DI) and the logger factory; returns the encoders and, optionally, an
    /// object that owns them (a loaded model), which the pipeline disposes with itself.
    /// </param>
    public ScoringPipelineBuilder UseEncoders(Func<IServiceProvider?, ILoggerFactory?, (ITextEncoder Text, IImageEncoder Image, IDisposable? Owner)> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _encoders = factory;
        _validateEncoders = null;
        return this;
    }

    /// <summary>
    /// Creates the encoders when the pipeline is built, and checks early that it can: <paramref name="validate"/> runs in
    /// <see cref="Validate"/> (so at <see cref="Build"/> and when <c>services.AddRichScoring(…)</c> registers the
    /// pipeline) and throws when the encoders could not be created — for example a model folder that does not exist.
    /// It must be cheap and load nothing heavy.
    /// </summary>
    /// <param name="factory">
    /// Receives the service provider (null outside DI) and the logger factory; returns the encoders and, optionally, an
    /// object that owns them, which the pipeline disposes with itself.
    /// </param>
    /// <param name="validate">Throws, with a message naming what is wrong, when <paramref name="factory"/> would fail.</param>
    public ScoringPipelineBuilder UseEncoders(
        Func<IServiceProvider?, ILoggerFactory?, (ITextEncoder Text, IImageEncoder Image, IDisposable? Owner)> factory,
        Action validate)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(validate);
        _encoders = factory;
        _validateEncoders = validate;
        return this;
    }

    /// <summary>Adds prompts describing a wanted image to the default query. Strings are literal prompts; use <see cref="Prompt.Concept"/> for template ensembles.</summary>
    /// <param name="prompts">The prompts.</param>
    public ScoringPipelineBuilder WithPositive(params Prompt[] prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        _positive.AddRange(prompts);
        return this;
    }

    /// <summary>Adds prompts describing unwanted look-alikes to the default query.</summary>
    /// <param name="prompts">The prompts.</param>
    public ScoringPipelineBuilder WithNegative(params Prompt[] prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        _negative.AddRange(prompts);
        return this;
    }

    /// <summary>Adds literal prompts describing a wanted image.</summary>
    /// <param name="prompts">The prompt texts.</param>
    public ScoringPipelineBuilder WithPositive(params string[] prompts) => WithPositive([.. (prompts ?? throw new ArgumentNullException(nameof(prompts))).Select(Prompt.Text)]);

    /// <summary>Adds literal prompts describing unwanted look-alikes.</summary>
    /// <param name="prompts">The prompt texts.</param>
    public ScoringPipelineBuilder WithNegative(params string[] prompts) => WithNegative([.. (prompts ?? throw new ArgumentNullException(nameof(prompts))).Select(Prompt.Text)]);

    /// <summary>
    /// Chooses the CLIP scorer. Default: the calibrated probability (<see cref="CalibratedScorer"/>, 0..1) at the
    /// model's logit scale when the query has negative prompts, and the best positive cosine when it has none (a
    /// softmax over positives alone is always 1). Alternatives: <see cref="ContrastScorer"/>, <see cref="ClipScoreScorer"/>.
    /// </summary>
    /// <param name="factory">Creates the scorer from the model's metadata (logit scale and bias).</param>
    public ScoringPipelineBuilder UseClipScorer(Func<EncoderMetadata, IScorer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _clipScorer = factory;
        return this;
    }

    /// <summary>Replaces the whole scoring (CLIP term, heuristics and weights) with one scorer of your own.</summary>
    /// <param name="scorer">The scorer.</param>
    public ScoringPipelineBuilder UseScorer(IScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        _scorer = scorer;
        return this;
    }

    /// <summary>
    /// Sets the weight of a named term of the combined score: <see cref="WeightedScorerOptions.ClipName"/> (α, default 1),
    /// <see cref="WeightedScorerOptions.HeuristicsName"/> (default 0.1, used when a heuristic is a score term).
    /// </summary>
    /// <param name="name">The term.</param>
    /// <param name="weight">Its weight, ≥ 0.</param>
    public ScoringPipelineBuilder WithWeight(string name, float weight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _weights[name] = weight;
        return this;
    }

    /// <summary>Filters out images whose shortest side is below <paramref name="pixels"/> (default 200).</summary>
    /// <param name="pixels">The minimum, in pixels.</param>
    /// <param name="mode">Filter (default), score term, or off.</param>
    public ScoringPipelineBuilder MinShortestSide(int pixels, HeuristicMode mode = HeuristicMode.Filter)
    {
        _heuristics.MinShortestSide = pixels;
        _heuristics.ShortestSideMode = mode;
        return this;
    }

    /// <summary>Filters out images more elongated than <paramref name="ratio"/> (long side / short side; default 3).</summary>
    /// <param name="ratio">The maximum.</param>
    /// <param name="mode">Filter (default), score term, or off.</param>
    public ScoringPipelineBuilder MaxAspectRatio(double ratio, HeuristicMode mode = HeuristicMode.Filter)
    {
        _heuristics.MaxAspectRatio = ratio;
        _heuristics.AspectRatioMode = mode;
        return this;
    }

    /// <summary>Adjusts any heuristic (bytes, domains, resolution preference).</summary>
    /// <param name="configure">Changes the options.</param>
    public ScoringPipelineBuilder ConfigureHeuristics(Action<HeuristicOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_heuristics);
        return this;
    }

    /// <summary>Filters out candidates whose combined score is below <paramref name="threshold"/>.</summary>
    /// <param name="threshold">On the combined score's scale (0..1 for the default probability).</param>
    public ScoringPipelineBuilder Threshold(float threshold)
    {
        _options.Threshold = threshold;
        return this;
    }

    /// <summary>Keeps the best <paramref name="k"/> (default 12).</summary>
    /// <param name="k">The list length.</param>
    public ScoringPipelineBuilder TopK(int k)
    {
        _options.TopK = k;
        return this;
    }

    /// <summary>Removes near-duplicates: groups of images whose embeddings have cosine ≥ <paramref name="epsilon"/>.</summary>
    /// <param name="epsilon">The similarity from which two images count as the same (default 0.95).</param>
    /// <param name="keep">Which member of a group stays: the best score (default) or the highest resolution.</param>
    public ScoringPipelineBuilder Deduplicate(float epsilon = 0.95f, DuplicateKeepRule keep = DuplicateKeepRule.Score)
    {
        _dedup = new NearDuplicateRemoverOptions { Threshold = epsilon, KeepBy = keep };
        return this;
    }

    /// <summary>Diversifies the top of the list with maximal marginal relevance.</summary>
    /// <param name="lambda">1 = pure relevance, 0 = pure variety (default 0.5).</param>
    public ScoringPipelineBuilder Diversify(float lambda = 0.5f)
    {
        _diversity = new MmrDiversifierOptions { Lambda = lambda };
        return this;
    }

    /// <summary>Adds a second opinion (a vision-LLM) on the best candidates.</summary>
    /// <param name="reranker">The reranker.</param>
    /// <param name="topN">How many it judges (default 10).</param>
    /// <param name="weight">β, the weight of its score (default 0.5).</param>
    public ScoringPipelineBuilder UseReranker(IReranker reranker, int topN = 10, float weight = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(reranker);
        _reranker = reranker;
        _options.RerankTopN = topN;
        _options.RerankWeight = weight;
        return this;
    }

    /// <summary>
    /// Wraps the text encoder in a decorator (logging, metrics, rate limiting — typically a <see cref="DelegatingTextEncoder"/>).
    /// Decorators stack as in Microsoft.Extensions.AI: the first added is the outermost. The embedding cache sits
    /// outside all of them, so a cache hit never reaches a decorator.
    /// </summary>
    /// <param name="decorator">Receives the encoder built so far and returns the wrapped one.</param>
    public ScoringPipelineBuilder UseTextEncoder(Func<ITextEncoder, ITextEncoder> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        _textDecorators.Add(decorator);
        return this;
    }

    /// <summary>Wraps the image encoder in a decorator; the first added is the outermost, inside the embedding cache.</summary>
    /// <param name="decorator">Receives the encoder built so far and returns the wrapped one.</param>
    public ScoringPipelineBuilder UseImageEncoder(Func<IImageEncoder, IImageEncoder> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        _imageDecorators.Add(decorator);
        return this;
    }

    /// <summary>
    /// Fetches candidates that arrive as web URLs. Without this, a pipeline built by dependency injection uses the
    /// <see cref="ICandidateFetcher"/> registered in the container (for example by <c>AddRichScoringHttp</c>).
    /// </summary>
    /// <param name="fetcher">The fetcher; the caller owns it (share it between pipelines, dispose it yourself).</param>
    public ScoringPipelineBuilder UseFetcher(ICandidateFetcher fetcher)
    {
        ArgumentNullException.ThrowIfNull(fetcher);
        _fetcher = () => fetcher;
        _ownsFetcher = false;
        return this;
    }

    /// <summary>
    /// Fetches candidates that arrive as web URLs with a fetcher made when the pipeline is built (never by
    /// <see cref="Validate"/>); the pipeline owns it and disposes it (when it is <see cref="IDisposable"/>).
    /// </summary>
    /// <param name="factory">Makes the fetcher.</param>
    public ScoringPipelineBuilder UseFetcher(Func<ICandidateFetcher> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _fetcher = () => factory() ?? throw new InvalidOperationException("The fetcher factory returned null.");
        _ownsFetcher = true;
        return this;
    }

    /// <summary>Adjusts the pipeline options (zero-result fallback, parallelism, size limits…).</summary>
    /// <param name="configure">Changes the options.</param>
    public ScoringPipelineBuilder Configure(Action<ScoringPipelineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>How many prompt embeddings the in-memory text cache keeps (default 4096).</summary>
    /// <param name="capacity">At least 1.</param>
    public ScoringPipelineBuilder TextCacheCapacity(int capacity)
    {
        _textCacheCapacity = capacity;
        return this;
    }

    /// <summary>
    /// Keeps text and image embeddings in <paramref name="cache"/> instead of the default in-memory caches (prompts:
    /// <see cref="TextCacheCapacity"/>; images: a <see cref="MemoryEmbeddingCache"/> with its default bounds). For reruns
    /// and several hosts, stack tiers: <c>new TieredEmbeddingCache(new MemoryEmbeddingCache(), new DirectoryEmbeddingCache(path))</c>.
    /// </summary>
    /// <param name="cache">The cache; shared by both encoders (keys tell texts and images apart).</param>
    public ScoringPipelineBuilder UseEmbeddingCache(IEmbeddingCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _embeddingCache = cache;
        return this;
    }

    /// <summary>
    /// Adds a shared tier under the embedding cache, over the <see cref="IDistributedCache"/> registered in the service
    /// provider given to <see cref="Build"/> (for Redis: <c>services.AddStackExchangeRedisCache(…)</c>), so several hosts
    /// encode each image once between them. The cache becomes memory (or the one from <see cref="UseEmbeddingCache"/>) →
    /// distributed. A failing or slow server is skipped for a while and never fails a query.
    /// </summary>
    /// <param name="configure">Adjusts the tier (key prefix, precision, timeout, pause).</param>
    public ScoringPipelineBuilder UseDistributedCache(Action<DistributedEmbeddingCacheOptions>? configure = null)
    {
        _distributedCache = configure ?? (static _ => { });
        return this;
    }

    /// <summary>Where the pipeline logs.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    public ScoringPipelineBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Checks every setting and assembles the pipeline.</summary>
    /// <param name="services">The service provider, when built by dependency injection.</param>
    /// <exception cref="InvalidOperationException">No encoders, or the builder was already used.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public ScoringPipeline Build(IServiceProvider? services = null)
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a pipeline; use a new builder for another one.");
        }

        Validate();
        var loggerFactory = _loggerFactory ?? services?.GetService(typeof(ILoggerFactory)) as ILoggerFactory;
        var (text, image, owner) = _encoders!(services, loggerFactory);

        // Apply in reverse so the first decorator added ends up outermost.
        for (var i = _textDecorators.Count - 1; i >= 0; i--)
        {
            text = _textDecorators[i](text) ?? throw new InvalidOperationException("A text-encoder decorator returned null.");
        }

        for (var i = _imageDecorators.Count - 1; i >= 0; i--)
        {
            image = _imageDecorators[i](image) ?? throw new InvalidOperationException("An image-encoder decorator returned null.");
        }

        var metadata = text.GetService(typeof(EncoderMetadata)) as EncoderMetadata
            ?? image.GetService(typeof(EncoderMetadata)) as EncoderMetadata
            ?? new EncoderMetadata("unknown", 1);
        var heuristics = new HeuristicScorer(_heuristics);
        var cache = CreateEmbeddingCache(services, loggerFactory);

        // A fetcher the pipeline owns is made here only, never by Validate (which DI runs on a throwaway builder).
        var fetcher = _fetcher is null ? services?.GetService(typeof(ICandidateFetcher)) as ICandidateFetcher : _fetcher();
        var parts = new ScoringPipelineParts
        {
            TextEncoder = cache is null ? new CachingTextEncoder(text, _textCacheCapacity) : new CachingTextEncoder(text, cache, loggerFactory),
            ImageEncoder = new CachingImageEncoder(image, cache ?? new MemoryEmbeddingCache(), loggerFactory),
            Scorer = _scorer ?? CreateScorer(metadata, heuristics),
            PreFilter = _scorer is null ? m => heuristics.Evaluate(m).RejectionReason : null,
            Deduplicator = _dedup is null ? null : new NearDuplicateRemover(_dedup),
            Diversifier = _diversity is null ? null : new MmrDiversifier(Diversity(_diversity, _options.TopK)),
            Reranker = _reranker,
            Fetcher = fetcher,
            DefaultQuery = _positive.Count > 0 ? new ScoringQuery(_positive, _negative) : null,
            Owner = _ownsFetcher && fetcher is IDisposable ownedFetcher ? new DisposableGroup(owner, ownedFetcher) : owner,
            UsesDefaultClipScorer = _scorer is null && _clipScorer is null,
        };
        _built = true;
        return new ScoringPipeline(parts, _options.Clone(), loggerFactory);
    }

    /// <summary>
    /// Checks the settings without creating the encoders: options, weights, heuristics, dedup and diversity, and the
    /// encoder factory's own check when it has one (<c>UseClip</c>: the model folder exists and holds a usable model).
    /// <see cref="Build"/> calls it too, and so does <c>services.AddRichScoring(…)</c> at registration. A builder without
    /// positive prompts is valid: its pipeline has no <see cref="ScoringPipeline.DefaultQuery"/> and every
    /// <see cref="ScoringPipeline.ScoreAsync"/> call must pass a <see cref="ScoringQuery"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No encoders were configured.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    /// <remarks>The encoder check throws its own exceptions (<c>ModelFolderException</c> for a missing or unusable model folder).</remarks>
    public void Validate()
    {
        if (_encoders is null)
        {
            throw new InvalidOperationException("No encoders: call UseClip(modelFolder) (RichScoring.Onnx) or UseEncoders(textEncoder, imageEncoder).");
        }

        _validateEncoders?.Invoke(); // e.g. UseClip: the model folder exists and holds a usable layout

        if (_positive.Count == 0 && _negative.Count > 0)
        {
            throw new ArgumentException("The default query has negative prompts but no positive prompt; add one with WithPositive.");
        }

        _options.Validate();
        _ = new HeuristicScorer(_heuristics); // validates the heuristic options
        foreach (var (name, weight) in _weights)
        {
            if (!(weight >= 0 && float.IsFinite(weight)))
            {
                throw new ArgumentException($"Weight '{name}' must be a finite number ≥ 0, got {weight}.");
            }
        }

        if (_weights.Count > 0 && _weights.Values.All(w => w == 0))
        {
            throw new ArgumentException("Every weight is 0: the combined score would always be 0.");
        }

        if (_textCacheCapacity < 1)
        {
            throw new ArgumentException($"The text cache capacity must be at least 1, got {_textCacheCapacity}.");
        }

        if (_distributedCache is not null)
        {
            DistributedOptions().Validate();
        }

        _ = _dedup is null ? null : new NearDuplicateRemover(_dedup);
        _ = _diversity is null ? null : new MmrDiversifier(Diversity(_diversity, _options.TopK));
    }

    private DistributedEmbeddingCacheOptions DistributedOptions()
    {
        var options = new DistributedEmbeddingCacheOptions();
        _distributedCache!(options);
        return options;
    }

    private IEmbeddingCache? CreateEmbeddingCache(IServiceProvider? services, ILoggerFactory? loggerFactory)
    {
        if (_distributedCache is null)
        {
            return _embeddingCache;
        }

        var distributed = services?.GetService(typeof(IDistributedCache)) as IDistributedCache
            ?? throw new InvalidOperationException(
                "UseDistributedCache() needs an IDistributedCache from the service provider passed to Build (for Redis: " +
                "services.AddStackExchangeRedisCache(…)); " + (services is null ? "no service provider was given." : "none is registered."));
        var tier = new DistributedEmbeddingCache(distributed, DistributedOptions(), loggerFactory);
        return new TieredEmbeddingCache([_embeddingCache ?? new MemoryEmbeddingCache(), tier], loggerFactory);
    }

    private static MmrDiversifierOptions Diversity(MmrDiversifierOptions given, int topK) => new()
    {
        Lambda = given.Lambda,
        TopK = topK,
        NormalizeScores = given.NormalizeScores,
        MaxDegreeOfParallelism = given.MaxDegreeOfParallelism,
    };

    private bool HeuristicsScore() =>
        _heuristics.PreferHigherResolution || _heuristics.DomainWeights.Count > 0
        || new[] { _heuristics.ShortestSideMode, _heuristics.AspectRatioMode, _heuristics.BytesMode, _heuristics.AllowedDomainsMode, _heuristics.DeniedDomainsMode }
            .Contains(HeuristicMode.Score);

    private WeightedScorer CreateScorer(EncoderMetadata metadata, HeuristicScorer heuristics)
    {
        var clip = _clipScorer?.Invoke(metadata)
            ?? new DefaultClipScorer(new CalibratedScorer(CalibratedScorerOptions.FromEncoder(metadata)), new ContrastScorer());
        var components = new List<KeyValuePair<string, IScorer>> { new(WeightedScorerOptions.ClipName, clip) };
        var options = new WeightedScorerOptions();
        options.Weights[WeightedScorerOptions.ClipName] = _weights.GetValueOrDefault(WeightedScorerOptions.ClipName, 1f);
        if (HeuristicsScore())
        {
            components.Add(new(WeightedScorerOptions.HeuristicsName, heuristics));
            options.Weights[WeightedScorerOptions.HeuristicsName] = _weights.GetValueOrDefault(WeightedScorerOptions.HeuristicsName, 0.1f);
        }

        return new WeightedScorer(components, options);
    }
}
