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
/// Disposing the model releases the sessions; the encoders it handed out must not be used afterwards.</para>
/// </remarks>
public sealed class ClipModel : IDisposable
{
    private readonly ModelFolder _folder;
    private readonly Lazy<ClipTextEncoder> _text;
    private readonly Lazy<ClipImageEncoder> _image;
    private int _disposed;

    private ClipModel(ModelFolder folder, OnnxModelOptions options, ILoggerFactory loggerFactory)
    {
        _folder = folder;
        _text = new(() => CreateTextEncoder(folder, options, ownsSession: false, loggerFactory.CreateLogger<ClipTextEncoder>()));
        _image = new(() => CreateImageEncoder(folder, options, ownsSession: false, loggerFactory.CreateLogger<ClipImageEncoder>()));
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

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The encoders were created with ownsSession: false, so the sessions are released here, once each.
        var sessions = new HashSet<object>();
        if (_text.IsValueCreated && _text.Value.GetService(typeof(Microsoft.ML.OnnxRuntime.InferenceSession)) is IDisposable t)
        {
            sessions.Add(t);
        }

        if (_image.IsValueCreated && _image.Value.GetService(typeof(Microsoft.ML.OnnxRuntime.InferenceSession)) is IDisposable i)
        {
            sessions.Add(i);
        }

        foreach (var s in sessions.Cast<IDisposable>())
        {
            s.Dispose();
        }
    }

    internal static ClipTextEncoder CreateTextEncoder(ModelFolder folder, OnnxModelOptions options, bool ownsSession, ILogger? logger)
    {
        var path = folder.TextModel ?? throw folder.Error($"there is no text model; found {folder.DescribeContents()}.");
        var tokenizer = TokenizerLoader.Load(folder);
        var session = Open(folder, path, "text", options, folder.TextIsCombined, logger);
        try
        {
            var logits = folder.ResolveLogits(options, folder.TextIsCombined ? Probe(folder, session, tokenizer) : null);
            return new ClipTextEncoder(folder, session, tokenizer, logits, options, ownsSession, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    internal static ClipImageEncoder CreateImageEncoder(ModelFolder folder, OnnxModelOptions options, bool ownsSession, ILogger? logger)
    {
        var path = folder.VisionModel ?? throw folder.Error($"there is no image model; found {folder.DescribeContents()}.");
        long[]? dummyTokens = null;
        ITextTokenizer? tokenizer = null;
        if (folder.VisionIsCombined)
        {
            // The combined model also wants a text; the empty prompt (start + end token) is the cheapest.
            try
            {
                tokenizer = TokenizerLoader.Load(folder);
                dummyTokens = [.. tokenizer.Encode("").Ids.Select(i => (long)i)];
            }
            catch (ModelFolderException)
            {
                dummyTokens = [0, 0];
            }
        }

        var preprocessor = new ImagePreprocessor(folder.Preprocessing, options.ImageDecoding);
        var session = Open(folder, path, "image", options, folder.VisionIsCombined, logger);
        try
        {
            var logits = folder.ResolveLogits(options, tokenizer is null ? null : Probe(folder, session, tokenizer));
            return new ClipImageEncoder(folder, session, preprocessor, dummyTokens, logits, options, ownsSession, logger);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static Func<(float Scale, float? Bias)?> Probe(ModelFolder folder, OnnxSession session, ITextTokenizer tokenizer)
    {
        var pixels = session.Inputs.GetValueOrDefault("pixel_values");
        var height = pixels?.Dimensions is [_, _, > 0 and var h, _] ? h : folder.Preprocessing.OutputHeight;
        var width = pixels?.Dimensions is [_, _, _, > 0 and var w] ? w : folder.Preprocessing.OutputWidth;
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
