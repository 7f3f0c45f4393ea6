using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RichScoring.Onnx.Tokenization;

namespace RichScoring.Onnx;

/// <summary>
/// The text tower of a CLIP or SigLIP model over ONNX Runtime: tokenizes prompts, runs them in batches through one
/// shared session, and returns L2-normalized embeddings.
/// </summary>
/// <remarks>
/// Thread-safe: one instance serves every caller. Prompts longer than the model's context are truncated (the end
/// token kept last) and logged; <see cref="Tokenize"/> shows exactly what the model receives.
/// When the sequence axis is dynamic, each batch is trimmed to its longest prompt: CLIP pools at the end token, so
/// the embeddings do not change, and short prompts run several times faster.
/// </remarks>
public sealed class ClipTextEncoder : ITextEncoder, ITextContextWindow
{
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string PixelValues = "pixel_values";
    private const string TextEmbeds = "text_embeds";

    private readonly OnnxSession _session;
    private readonly ITextTokenizer _tokenizer;
    private readonly OnnxModelOptions _options;
    private readonly ILogger _logger;
    private readonly bool _hasMask;
    private readonly int? _fixedBatch;
    private readonly int? _fixedSequence;
    private readonly int _paddingId;
    private readonly NodeMetadata? _dummyPixels;
    private readonly long[] _dummyPixelShape = [];
    private int _disposed;

    internal ClipTextEncoder(ModelFolder folder, OnnxSession session, ITextTokenizer tokenizer, (float? Scale, float? Bias) logits, OnnxModelOptions options, ILogger? logger)
    {
        _session = session;
        _tokenizer = tokenizer;
        _options = options;
        _logger = logger ?? NullLogger.Instance;

        var inputs = session.Inputs;
        if (!inputs.TryGetValue(InputIds, out var ids) || !ids.IsTensor || ids.ElementDataType != TensorElementType.Int64 || ids.Dimensions.Length != 2)
        {
            throw folder.Error($"{session.FileName} must take an int64 input '{InputIds}' [batch, sequence] to encode text; found {session.Describe()}.");
        }

        _hasMask = inputs.TryGetValue(AttentionMask, out var mask);
        if (_hasMask && (!mask!.IsTensor || mask.ElementDataType != TensorElementType.Int64 || mask.Dimensions.Length != 2))
        {
            throw folder.Error($"{session.FileName}: '{AttentionMask}' must be int64 [batch, sequence]; found {session.Describe()}.");
        }

        if (inputs.TryGetValue(PixelValues, out var pixels))
        {
            // A combined model: text alone still needs an image fed, one blank image (as many as a fixed batch axis
            // asks for) at the model's size, else the preprocessing's.
            _dummyPixels = pixels;
            var d = pixels.Dimensions;
            if (!OnnxSession.IsFloat(pixels) || d.Length != 4)
            {
                throw folder.Error($"{session.FileName} takes '{PixelValues}' {OnnxSession.Describe(pixels)}; a combined model's must be float [batch, 3, height, width]; found {session.Describe()}.");
            }

            var (height, width) = folder.PixelSize(pixels);
            _dummyPixelShape = [d[0] > 0 ? d[0] : 1, 3, height, width];
        }

        var unknown = inputs.Keys.Except([InputIds, AttentionMask, PixelValues]).ToList();
        if (unknown.Count > 0)
        {
            throw folder.Error($"{session.FileName} has inputs a CLIP text tower does not have ({string.Join(", ", unknown)}); found {session.Describe()}.");
        }

        if (!session.Outputs.TryGetValue(TextEmbeds, out var output) || !OnnxSession.IsFloat(output) || output.Dimensions.Length != 2)
        {
            throw folder.Error($"{session.FileName} must have a float output '{TextEmbeds}' [batch, dimension]; found {session.Describe()}.");
        }

        _fixedBatch = ids.Dimensions[0] > 0 ? ids.Dimensions[0] : null;
        _fixedSequence = ids.Dimensions[1] > 0 ? ids.Dimensions[1] : null;
        if (_fixedSequence is { } seq && seq < 2)
        {
            throw folder.Error($"{session.FileName} has a fixed sequence length of {seq}; at least 2 tokens (start and end) are needed.");
        }

        _paddingId = options.PaddingTokenId ?? tokenizer.PaddingId;
        ContextLength = Math.Min(_fixedSequence ?? tokenizer.ContextLength, tokenizer.ContextLength);

        var dimension = output.Dimensions[1] > 0 ? output.Dimensions[1] : folder.ProjectionDim ?? ProbeDimension();
        Metadata = new EncoderMetadata(folder.ModelId, dimension)
        {
            ProviderName = "onnxruntime",
            ContextLength = ContextLength,
            LogitScale = logits.Scale,
            LogitBias = logits.Bias,
        };
    }

    /// <summary>The model's metadata (also available through <see cref="GetService"/>).</summary>
    public EncoderMetadata Metadata { get; }

    /// <summary>The most tokens a prompt may have, start and end tokens included.</summary>
    public int ContextLength { get; }

    /// <summary>Loads a model folder's text tower on its own. The encoder owns the session and disposes it.</summary>
    /// <param name="folder">A model folder (see <see cref="ClipModel.Load"/>).</param>
    /// <param name="options">Loading and running options.</param>
    /// <param name="logger">Receives warnings such as truncated prompts.</param>
    /// <exception cref="ModelFolderException">The folder has no usable text model or tokenizer.</exception>
    public static ClipTextEncoder Create(string folder, OnnxModelOptions? options = null, ILogger<ClipTextEncoder>? logger = null)
    {
        options ??= new OnnxModelOptions();
        options.Validate();
        var model = ModelFolder.Open(folder, options);
        return ClipModel.CreateTextEncoder(model, options, ClipModel.OpenOwned(model, options, logger), logger);
    }

    /// <summary>The token ids a prompt becomes (start and end tokens included, truncated to the context, no padding).</summary>
    /// <param name="text">The prompt.</param>
    public TokenizedText Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = _tokenizer.Encode(text);
        return result.Ids.Count <= ContextLength ? result : Truncate(result);
    }

    /// <inheritdoc />
    public bool IsTruncated(string text) => Tokenize(text).Truncated;

    /// <inheritdoc />
    public Task<EmbeddingBatch> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (var i = 0; i < texts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], $"{nameof(texts)}[{i}]");
        }

        var result = EmbeddingBatch.Create(texts.Count, Metadata.Dimension, Metadata.ModelId);
        var chunk = Math.Min(_options.MaxTextBatchSize, _fixedBatch ?? int.MaxValue);
        for (var start = 0; start < texts.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(chunk, texts.Count - start);
            var slice = new ListSlice<string>(texts, start, count);
            EncodeChunk(slice, result.Memory.Slice(start * Metadata.Dimension, count * Metadata.Dimension), cancellationToken);
        }

        return Task.FromResult(result.Normalize());
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EncoderMetadata) ? Metadata
            : serviceType == typeof(InferenceSession) ? _session.Session
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>
    /// Releases this encoder's share of its ONNX Runtime session: an encoder made with <see cref="Create"/> owns its
    /// session alone, so it is closed; one handed out by a <see cref="ClipModel"/> shares it with the model (and, for a
    /// combined <c>model.onnx</c>, with the other encoder), which closes it when the model is disposed. Idempotent.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _session.Dispose();
        }
    }

    /// <summary>The session this encoder runs (shared with the other tower of a combined model).</summary>
    internal OnnxSession Session => _session;

    private TokenizedText Truncate(TokenizedText full)
    {
        var ids = full.Ids.Take(ContextLength).ToArray();
        ids[^1] = full.Ids[^1];
        return new TokenizedText(ids, truncated: true);
    }

    private void EncodeChunk(ListSlice<string> texts, Memory<float> destination, CancellationToken cancellationToken)
    {
        using var tokens = TokenizedBatch.Encode(_tokenizer, texts, ContextLength);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens.IsTruncated(i))
            {
                Log.PromptTruncated(_logger, texts[i], ContextLength);
            }
        }

        // Trim padding to the longest prompt unless the model fixes the axis or needs the full context (SigLIP).
        var sequence = _fixedSequence ?? (_tokenizer.RequiresFullContext ? ContextLength : tokens.LongestSequence);
        var rows = _fixedBatch ?? texts.Count;
        var size = rows * sequence;
        var ids = ArrayPool<long>.Shared.Rent(size);
        var mask = ArrayPool<long>.Shared.Rent(size);
        var release = new List<Action>();
        var values = new List<OrtValue>();
        try
        {
            tokens.WriteTo(sequence, ids, mask, _paddingId);
            for (var r = texts.Count; r < rows; r++)
            {
                // Rows that only fill a fixed batch axis: copies of the first row, outputs ignored.
                Array.Copy(ids, 0, ids, r * sequence, sequence);
                Array.Copy(mask, 0, mask, r * sequence, sequence);
            }

            long[] shape = [rows, sequence];
            var names = new List<string> { InputIds };
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, ids.AsMemory(0, size), shape));
            if (_hasMask)
            {
                names.Add(AttentionMask);
                values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, mask.AsMemory(0, size), shape));
            }

            if (_dummyPixels is { } pixels)
            {
                names.Add(PixelValues);
                values.Add(DummyPixels(pixels, release));
            }

            if (rows == texts.Count)
            {
                _session.RunInto(names, values, TextEmbeds, rows, Metadata.Dimension, destination, cancellationToken);
            }
            else
            {
                // A fixed batch axis larger than the chunk: run into scratch, keep the real rows.
                var scratch = ArrayPool<float>.Shared.Rent(rows * Metadata.Dimension);
                release.Add(() => ArrayPool<float>.Shared.Return(scratch));
                _session.RunInto(names, values, TextEmbeds, rows, Metadata.Dimension, scratch, cancellationToken);
                scratch.AsSpan(0, destination.Length).CopyTo(destination.Span);
            }
        }
        finally
        {
            foreach (var v in values)
            {
                v.Dispose();
            }

            foreach (var r in release)
            {
                r();
            }

            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(mask);
        }
    }

    private OrtValue DummyPixels(NodeMetadata pixels, List<Action> release)
    {
        var length = (int)(_dummyPixelShape[0] * _dummyPixelShape[1] * _dummyPixelShape[2] * _dummyPixelShape[3]);
        var zeros = ArrayPool<float>.Shared.Rent(length);
        Array.Clear(zeros, 0, length);
        release.Add(() => ArrayPool<float>.Shared.Return(zeros));
        return TensorSlots.FloatInput(pixels.ElementDataType, zeros, length, _dummyPixelShape, release);
    }

    private int ProbeDimension()
    {
        var probe = new List<string> { "" };
        using var tokens = TokenizedBatch.Encode(_tokenizer, probe, ContextLength);
        var sequence = _fixedSequence ?? tokens.LongestSequence;
        var ids = new long[sequence];
        var mask = new long[sequence];
        tokens.WriteTo(sequence, ids, mask, _paddingId);
        var release = new List<Action>();
        var names = new List<string> { InputIds };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(ids, [1, sequence]) };
        if (_hasMask)
        {
            names.Add(AttentionMask);
            values.Add(OrtValue.CreateTensorValueFromMemory(mask, [1, sequence]));
        }

        if (_dummyPixels is { } pixels)
        {
            names.Add(PixelValues);
            values.Add(DummyPixels(pixels, release));
        }

        try
        {
            return _session.OutputWidth(names, values, TextEmbeds);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
            release.ForEach(r => r());
        }
    }
}
