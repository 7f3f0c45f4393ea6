using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RichScoring.Onnx.Preprocessing;
using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx;

/// <summary>
/// A CLIP or SigLIP model folder, loaded once: it finds the layout from the files and the ONNX metadata and hands out
/// the text and image encoders, which share its ONNX Runtime sessions.
/// </summary>
/// <remarks>
/// <para>Layouts understood (see docs/models.md):</para>
/// <list type="bullet">
/// <item>Hugging Face Optimum: <c>model.onnx</c> with <c>input_ids</c>, <c>attention_mask</c>, <c>pixel_values</c> →
/// <c>text_embeds</c>, <c>image_embeds</c>, <c>logits_per_image</c>.</item>
/// <item>transformers.js: <c>onnx/text_model.onnx</c> and <c>onnx/vision_model.onnx</c>, with <c>*_quantized.onnx</c> and
/// <c>*_fp16.onnx</c> variants picked by <see cref="OnnxModelOptions.Variant"/>. Split files are preferred when both exist.</item>
/// </list>
/// <para>Tokenizer: <c>vocab.json</c> + <c>merges.txt</c>, <c>tokenizer.json</c> or <c>bpe_simple_vocab_16e6.txt.gz</c> (CLIP), <c>spiece.model</c> (SigLIP).
/// Preprocessing: <c>preprocessor_config.json</c>. Family and context length: <c>config.json</c>.</para>
/// <para>Encoders are created on first use (so a text-only user never loads the image tower) and are thread-safe.
/// There is one ONNX Runtime session per model file: a combined <c>model.onnx</c> serves both encoders through the
/// same session. Disposing the model disposes the encoders it handed out and releases the sessions; an encoder
/// disposed on its own only gives up its share (the other encoder keeps working until the model is disposed).</para>
/// </remarks>
public sealed class ClipModel : IDisposable
{
    private readonly ModelFolder _folder;
    private readonly OnnxModelOptions _options;
    private readonly Lazy<ClipTextEncoder> _text;
    private readonly Lazy<ClipImageEncoder> _image;
    private readonly Lock _sessionsLock = new();
    private readonly Dictionary<string, OnnxSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _handedOut = [];
    private int _disposed;

    private ClipModel(ModelFolder folder, OnnxModelOptions options, ILoggerFactory loggerFactory)
    {
        _folder = folder;
        _options = options;
        var textLogger = loggerFactory.CreateLogger<ClipTextEncoder>();
        var imageLogger = loggerFactory.CreateLogger<ClipImageEncoder>();
        _text = new(() => HandOut(CreateTextEncoder(folder, options, (path, role, combined) => Share(path, role, combined, textLogger), textLogger)));
        _image = new(() => HandOut(CreateImageEncoder(folder, options, (path, role, combined) => Share(path, role, combined, imageLogger), imageLogger)));
    }

    /// <summary>The folder the model was loaded from.</summary>
    public string Folder => _folder.Path;

    /// <summary>The id of the model's embedding space (part of every cache key).</summary>
    public string ModelId => _folder.ModelId;

    /// <summary>CLIP or SigLIP, from <c>config.json</c> (or the presence of <c>spiece.model</c>).</summary>
    public ModelFamily Family => _folder.Family;

    /// <summary>Whether the folder can encode text (it has a text model; the tokenizer is checked on first use).</summary>
    public bool SupportsText => _folder.TextModel is not null;

    /// <summary>Whether the folder can encode images.</summary>
    public bool SupportsImages => _folder.VisionModel is not null;

    /// <summary>The text encoder, created on first use.</summary>
    /// <exception cref="ModelFolderException">The folder has no usable text model or tokenizer.</exception>
    public ClipTextEncoder TextEncoder
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _text.Value;
        }
    }

    /// <summary>The image encoder, created on first use.</summary>
    /// <exception cref="ModelFolderException">The folder has no usable image model.</exception>
    public ClipImageEncoder ImageEncoder
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _image.Value;
        }
    }

    /// <summary>Opens a model folder and checks its layout. Sessions are created when an encoder is first used.</summary>
    /// <param name="folder">The folder holding the ONNX files, tokenizer and configs.</param>
    /// <param name="options">Loading and running options.</param>
    /// <param name="loggerFactory">Receives load times, truncated prompts and per-image failures.</param>
    /// <exception cref="ModelFolderException">The folder is missing or does not hold a model RichScoring can use.</exception>
    public static ClipModel Load(string folder, OnnxModelOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new OnnxModelOptions();
        options.Validate();
        return new ClipModel(ModelFolder.Open(folder, options), options, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>
    /// Disposes the encoders this model handed out and releases the ONNX Runtime sessions (one per model file, shared
    /// by both towers of a combined <c>model.onnx</c>), each exactly once. Disposing an encoder on its own beforehand
    /// or afterwards is harmless.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Each encoder holds its own reference to its session, released when it is disposed (once: encoders ignore
        // a second Dispose); the model holds one more per file. An encoder still being created now sees the flag in
        // HandOut and disposes itself.
        lock (_sessionsLock)
        {
            foreach (var encoder in _handedOut)
            {
                encoder.Dispose();
            }

            foreach (var session in _sessions.Values)
            {
                session.Dispose();
            }

            _handedOut.Clear();
            _sessions.Clear();
        }
    }

    /// <summary>Registers a newly made encoder for disposal with the model, unless the model was disposed meanwhile.</summary>
    private T HandOut<T>(T encoder)
        where T : IDisposable
    {
        lock (_sessionsLock)
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                _handedOut.Add(encoder);
                return encoder;
            }
        }

        encoder.Dispose();
        throw new ObjectDisposedException(nameof(ClipModel));
    }

    /// <summary>
    /// For a scoring pipeline (<c>UseClip</c>): throws when this is a SigLIP model whose learned logit scale and bias
    /// are unknown, since its default calibrated scorer would otherwise fall back to CLIP's softmax at scale 100.
    /// Without <paramref name="loaded"/> it only checks what is known without an ONNX session (a split folder with
    /// neither options nor config.json values); with it, the values the encoders resolved (a combined model's probe included).
    /// </summary>
    /// <exception cref="ModelFolderException">The scale or bias is unknown; the message says how to pass them.</exception>
    internal void RequireSigLipLogits(bool loaded)
    {
        if (Family != ModelFamily.SigLip)
        {
            return;
        }

        var known = loaded
            ? TextEncoder.Metadata is { LogitScale: not null, LogitBias: not null }
            : _folder.TextIsCombined || _folder.VisionIsCombined
              || _folder.ExplicitLogits(_options) is { Scale: not null, Bias: not null };
        if (!known)
        {
            throw new ModelFolderException(MissingSigLipLogits(_folder.Path)) { Folder = _folder.Path, LacksLogitCalibration = true };
        }
    }

    /// <summary>The message for a SigLIP model whose learned logit scale and bias are unknown (see docs/models.md).</summary>
    internal static string MissingSigLipLogits(string folder) =>
        $"Model folder '{folder}': SigLIP's sigmoid probabilities need the model's learned logit scale and bias, which " +
        "are stored in its weights only: a transformers.js split export (onnx/text_model.onnx + onnx/vision_model.onnx) " +
        "does not output them and SigLIP's config.json does not hold them. Pass them with new OnnxModelOptions " +
        "{ LogitScale = exp(logit_scale), LogitBias = logit_bias } (in Python: model.logit_scale.exp().item(), " +
        "model.logit_bias.item()), add \"logit_scale\" (the log value, as the checkpoint stores it) and \"logit_bias\" " +
        "to config.json, or use a combined export (model.onnx with logits_per_image), from which they are measured.";

    /// <summary>The folder's session for <paramref name="path"/>: opened on first use, then shared (one reference each).</summary>
    private OnnxSession Share(string path, string role, bool combined, ILogger logger)
    {
        lock (_sessionsLock)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_sessions.TryGetValue(path, out var session))
            {
                session = Open(_folder, path, role, _options, combined, logger);
                _sessions.Add(path, session);
            }

            return session.Acquire();
        }
    }

    /// <summary>Creates a text encoder over the session <paramref name="open"/> gives (a reference the encoder releases).</summary>
    internal static ClipTextEncoder CreateTextEncoder(ModelFolder folder, OnnxModelOptions options, Func<string, string, bool, OnnxSession> open, ILogger? logger)
    {
        var path = folder.TextModel ?? throw folder.Error($"there is no text model; found {folder.DescribeContents()}.");
        var tokenizer = TokenizerLoader.Load(folder);
        var session = open(path, "text", folder.TextIsCombined);
        try
        {
            var logits = folder.ResolveLogits(options, folder.TextIsCombined ? Probe(folder, session, tokenizer) : null);
            WarnIfSigLipLogitsUnknown(folder, logits, logger);
            return new ClipTextEncoder(folder, session, tokenizer, logits, options, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Creates an image encoder over the session <paramref name="open"/> gives (a reference the encoder releases).</summary>
    internal static ClipImageEncoder CreateImageEncoder(ModelFolder folder, OnnxModelOptions options, Func<string, string, bool, OnnxSession> open, ILogger? logger)
    {
        var path = folder.VisionModel ?? throw folder.Error($"there is no image model; found {folder.DescribeContents()}.");
        DummyText? dummy = null;
        ITextTokenizer? tokenizer = null;
        if (folder.VisionIsCombined)
        {
            // The combined model also wants a text; the empty prompt (start + end token) is the cheapest.
            try
            {
                tokenizer = TokenizerLoader.Load(folder);
                dummy = new DummyText([.. tokenizer.Encode("").Ids.Select(i => (long)i)], options.PaddingTokenId ?? tokenizer.PaddingId);
            }
            catch (ModelFolderException)
            {
                dummy = new DummyText([0, 0], 0);
            }
        }

        var preprocessor = new ImagePreprocessor(folder.Preprocessing, options.ImageDecoding);
        var session = open(path, "image", folder.VisionIsCombined);
        try
        {
            var logits = folder.ResolveLogits(options, tokenizer is null ? null : Probe(folder, session, tokenizer));
            WarnIfSigLipLogitsUnknown(folder, logits, logger);
            return new ClipImageEncoder(folder, session, preprocessor, dummy, logits, options, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A new session, owned by whoever asked (the standalone <c>Create</c> methods of the encoders).</summary>
    internal static Func<string, string, bool, OnnxSession> OpenOwned(ModelFolder folder, OnnxModelOptions options, ILogger? logger) =>
        (path, role, combined) => Open(folder, path, role, options, combined, logger);

    private static void WarnIfSigLipLogitsUnknown(ModelFolder folder, (float? Scale, float? Bias) logits, ILogger? logger)
    {
        if (folder.Family == ModelFamily.SigLip && (logits.Scale is null || logits.Bias is null) && logger is not null && folder.FirstLogitsWarning())
        {
            Log.SigLipLogitsUnknown(logger, MissingSigLipLogits(folder.Path));
        }
    }

    private static Func<(float Scale, float? Bias)?> Probe(ModelFolder folder, OnnxSession session, ITextTokenizer tokenizer)
    {
        var pixels = session.Inputs.GetValueOrDefault("pixel_values");
        var (height, width) = folder.PixelSize(pixels);
        return () => LogitProbe.TryMeasure(session, tokenizer, height, width);
    }

    private static OnnxSession Open(ModelFolder folder, string path, string role, OnnxModelOptions options, bool combined, ILogger? logger)
    {
        var clock = Stopwatch.StartNew();
        var session = OnnxSession.Create(folder, path, options);
        logger ??= NullLogger.Instance;
        if (logger.IsEnabled(LogLevel.Information))
        {
            var file = Path.GetRelativePath(folder.Path, path);
            var elapsed = clock.ElapsedMilliseconds;
            Log.ModelLoaded(logger, role, file, folder.Family, combined ? "combined" : "split", elapsed);
        }

        return session;
    }
}

/// <summary>The text a combined model is fed when only images are encoded: token ids and the id to pad them with.</summary>
internal sealed record DummyText(long[] Ids, long PaddingId);
