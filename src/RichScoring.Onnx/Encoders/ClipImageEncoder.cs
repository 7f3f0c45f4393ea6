using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using RichScoring.Onnx.Preprocessing;

namespace RichScoring.Onnx;

/// <summary>
/// The image tower of a CLIP or SigLIP model over ONNX Runtime: decodes and preprocesses images exactly as the
/// reference implementation does, runs them in batches through one shared session, and returns L2-normalized embeddings.
/// </summary>
/// <remarks>
/// Thread-safe: one instance serves every caller. A bad image (undecodable, truncated, HTML, over the pixel limit)
/// fails on its own with an <see cref="InvalidImageException"/> in the result; the rest of the batch is encoded.
/// Images of a batch are preprocessed in parallel straight into one pooled [batch, 3, H, W] tensor.
/// </remarks>
public sealed class ClipImageEncoder : IImageEncoder
{
    private const string PixelValues = "pixel_values";
    private const string InputIds = "input_ids";
    private const string AttentionMask = "attention_mask";
    private const string ImageEmbeds = "image_embeds";

    private readonly OnnxSession _session;
    private readonly OnnxModelOptions _options;
    private readonly ILogger _logger;
    private readonly int? _fixedBatch;
    private readonly TensorElementType _inputType;
    private readonly long[]? _dummyIds;
    private readonly long[]? _dummyMask;
    private readonly long[] _dummyShape = [];
    private int _disposed;

    internal ClipImageEncoder(ModelFolder folder, OnnxSession session, ImagePreprocessor preprocessor, DummyText? dummyText, (float? Scale, float? Bias) logits, OnnxModelOptions options, ILogger? logger)
    {
        _session = session;
        Preprocessor = preprocessor;
        _options = options;
        _logger = logger ?? NullLogger.Instance;

        var inputs = session.Inputs;
        if (!inputs.TryGetValue(PixelValues, out var pixels) || !OnnxSession.IsFloat(pixels) || pixels.Dimensions.Length != 4)
        {
            throw folder.Error($"{session.FileName} must take a float input '{PixelValues}' [batch, 3, height, width] to encode images; found {session.Describe()}.");
        }

        var d = pixels.Dimensions;
        if ((d[1] > 0 && d[1] != 3) || (d[2] > 0 && d[2] != preprocessor.Height) || (d[3] > 0 && d[3] != preprocessor.Width))
        {
            throw folder.Error(
                $"{session.FileName} takes {PixelValues} {OnnxSession.Describe(pixels)} but the preprocessing makes [batch, 3, " +
                $"{preprocessor.Height}, {preprocessor.Width}] (from {(folder.HasPreprocessorConfig ? "preprocessor_config.json" : "the defaults")}).");
        }

        if (inputs.TryGetValue(InputIds, out var ids))
        {
            // A combined model: images alone still need a text fed; the shortest one is start + end token.
            if (!ids.IsTensor || ids.ElementDataType != TensorElementType.Int64 || ids.Dimensions.Length != 2)
            {
                throw folder.Error($"{session.FileName} takes '{InputIds}' {OnnxSession.Describe(ids)}; a combined model's must be int64 [batch, sequence]; found {session.Describe()}.");
            }

            (_dummyIds, _dummyMask, _dummyShape) = DummyTextInputs(dummyText ?? new DummyText([0, 0], 0), ids, inputs.ContainsKey(AttentionMask));
        }

        var unknown = inputs.Keys.Except([PixelValues, InputIds, AttentionMask]).ToList();
        if (unknown.Count > 0)
        {
            throw folder.Error($"{session.FileName} has inputs a CLIP image tower does not have ({string.Join(", ", unknown)}); found {session.Describe()}.");
        }

        if (!session.Outputs.TryGetValue(ImageEmbeds, out var output) || !OnnxSession.IsFloat(output) || output.Dimensions.Length != 2)
        {
            throw folder.Error($"{session.FileName} must have a float output '{ImageEmbeds}' [batch, dimension]; found {session.Describe()}.");
        }

        _inputType = pixels.ElementDataType;
        _fixedBatch = d[0] > 0 ? d[0] : null;
        var dimension = output.Dimensions[1] > 0 ? output.Dimensions[1] : folder.ProjectionDim ?? ProbeDimension();
        Metadata = new EncoderMetadata(folder.ModelId, dimension)
        {
            ProviderName = "onnxruntime",
            ImageSize = preprocessor.Height,
            LogitScale = logits.Scale,
            LogitBias = logits.Bias,
        };
    }

    /// <summary>The model's metadata (also available through <see cref="GetService"/>).</summary>
    public EncoderMetadata Metadata { get; }

    /// <summary>The decoding and preprocessing this model uses.</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Loads a model folder's image tower on its own. The encoder owns the session and disposes it.</summary>
    /// <param name="folder">A model folder (see <see cref="ClipModel.Load"/>).</param>
    /// <param name="options">Loading and running options.</param>
    /// <param name="logger">Receives per-image failures at debug level.</param>
    /// <exception cref="ModelFolderException">The folder has no usable image model.</exception>
    public static ClipImageEncoder Create(string folder, OnnxModelOptions? options = null, ILogger<ClipImageEncoder>? logger = null)
    {
        options ??= new OnnxModelOptions();
        options.Validate();
        var model = ModelFolder.Open(folder, options);
        return ClipModel.CreateImageEncoder(model, options, ClipModel.OpenOwned(model, options, logger), logger);
    }

    /// <summary>The tensor the model receives for an image: [1, 3, H, W] float32, row-major.</summary>
    /// <param name="encodedImage">The image file's bytes.</param>
    /// <exception cref="InvalidImageException">The image cannot be used.</exception>
    public float[] Preprocess(ReadOnlySpan<byte> encodedImage)
    {
        var tensor = new float[Preprocessor.TensorLength];
        Preprocessor.Preprocess(encodedImage, tensor);
        return tensor;
    }

    /// <inheritdoc />
    public Task<ImageEncodingResult> EncodeAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var result = EmbeddingBatch.Create(images.Count, Metadata.Dimension, Metadata.ModelId);
        var errors = new Exception?[images.Count];
        var chunk = Math.Min(_options.MaxImageBatchSize, _fixedBatch ?? int.MaxValue);
        for (var start = 0; start < images.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EncodeChunk(images, start, Math.Min(chunk, images.Count - start), result, errors, cancellationToken);
        }

        return Task.FromResult(new ImageEncodingResult(result.Normalize(), errors));
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
            : serviceType == typeof(ImagePreprocessor) || serviceType == typeof(IImageIdentifier) ? Preprocessor
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

    private void EncodeChunk(IReadOnlyList<ImageInput> images, int start, int count, EmbeddingBatch result, Exception?[] errors, CancellationToken cancellationToken)
    {
        var tensorLength = Preprocessor.TensorLength;
        var rows = _fixedBatch ?? count;
        var pixels = ArrayPool<float>.Shared.Rent(Math.Max(rows, count) * tensorLength);
        try
        {
            // Each image decodes into its own slot; a failure is recorded for that image only.
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                var image = images[start + i];
                try
                {
                    Preprocessor.Preprocess(image.Data.Span, pixels.AsSpan(i * tensorLength, tensorLength));
                }
                catch (InvalidImageException ex)
                {
                    errors[start + i] = ex.WithImageId(image.Id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    errors[start + i] = new InvalidImageException(ImageErrorKind.Corrupt, $"the image could not be decoded: {ex.Message}", ex, image.Id);
                }

                if (errors[start + i] is { } error)
                {
                    Log.ImageFailed(_logger, image.Id, error.Message);
                }
            });

            // Move the good images together so the model only runs on them.
            var good = new int[count];
            var n = 0;
            for (var i = 0; i < count; i++)
            {
                if (errors[start + i] is null)
                {
                    if (n != i)
                    {
                        Array.Copy(pixels, i * tensorLength, pixels, n * tensorLength, tensorLength);
                    }

                    good[n++] = start + i;
                }
            }

            if (n == 0)
            {
                return;
            }

            var runRows = _fixedBatch ?? n;
            for (var offset = 0; offset < n; offset += runRows)
            {
                var take = Math.Min(runRows, n - offset);
                Run(pixels, offset, take, runRows, good.AsSpan(offset, take), result, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }
    }

    private void Run(float[] pixels, int firstRow, int count, int rows, ReadOnlySpan<int> targets, EmbeddingBatch result, CancellationToken cancellationToken)
    {
        var tensorLength = Preprocessor.TensorLength;
        var release = new List<Action>();
        var values = new List<OrtValue>();
        var names = new List<string> { PixelValues };
        float[]? padded = null;
        try
        {
            var source = pixels;
            var offset = firstRow * tensorLength;
            if (rows != count)
            {
                // A fixed batch axis larger than what is left: pad with copies of the first image, outputs ignored.
                padded = ArrayPool<float>.Shared.Rent(rows * tensorLength);
                for (var r = 0; r < rows; r++)
                {
                    Array.Copy(pixels, offset + (Math.Min(r, count - 1) * tensorLength), padded, r * tensorLength, tensorLength);
                }

                source = padded;
                offset = 0;
            }

            long[] shape = [rows, 3, Preprocessor.Height, Preprocessor.Width];
            if (_inputType == TensorElementType.Float)
            {
                values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, source.AsMemory(offset, rows * tensorLength), shape));
            }
            else
            {
                var copy = offset == 0 ? source : source[offset..(offset + (rows * tensorLength))];
                values.Add(TensorSlots.FloatInput(_inputType, copy, rows * tensorLength, shape, release));
            }

            AddDummyText(names, values);

            var d = Metadata.Dimension;
            var embeddings = ArrayPool<float>.Shared.Rent(rows * d);
            release.Add(() => ArrayPool<float>.Shared.Return(embeddings));
            _session.RunInto(names, values, ImageEmbeds, rows, d, embeddings, cancellationToken);

            for (var i = 0; i < count; i++)
            {
                embeddings.AsSpan(i * d, d).CopyTo(result.GetRow(targets[i]));
            }
        }
        finally
        {
            values.ForEach(v => v.Dispose());
            release.ForEach(r => r());
            if (padded is not null)
            {
                ArrayPool<float>.Shared.Return(padded);
            }
        }
    }

    private int ProbeDimension()
    {
        var pixels = new float[Preprocessor.TensorLength];
        var names = new List<string> { PixelValues };
        var release = new List<Action>();
        var values = new List<OrtValue>
        {
            TensorSlots.FloatInput(_inputType, pixels, pixels.Length, [1, 3, Preprocessor.Height, Preprocessor.Width], release),
        };
        AddDummyText(names, values);

        try
        {
            return _session.OutputWidth(names, values, ImageEmbeds);
        }
        finally
        {
            values.ForEach(v => v.Dispose());
            release.ForEach(r => r());
        }
    }

    /// <summary>
    /// The text fed to a combined model with the images: the shortest prompt (start + end token), padded (mask 0) to
    /// the sequence length when the model fixes it, repeated over a fixed batch axis.
    /// </summary>
    private static (long[] Ids, long[]? Mask, long[] Shape) DummyTextInputs(DummyText text, NodeMetadata ids, bool hasMask)
    {
        var tokens = text.Ids.Length > 0 ? text.Ids : [0];
        var sequence = ids.Dimensions[1] > 0 ? ids.Dimensions[1] : tokens.Length;
        var rows = ids.Dimensions[0] > 0 ? ids.Dimensions[0] : 1;
        var row = new long[sequence];
        var rowMask = new long[sequence];
        var kept = Math.Min(tokens.Length, sequence);
        for (var i = 0; i < sequence; i++)
        {
            row[i] = i < kept ? tokens[i] : text.PaddingId;
            rowMask[i] = i < kept ? 1 : 0;
        }

        if (kept < tokens.Length)
        {
            row[kept - 1] = tokens[^1]; // a sequence axis fixed shorter than the prompt: keep the end token last
        }

        var all = new long[rows * sequence];
        var mask = new long[rows * sequence];
        for (var r = 0; r < rows; r++)
        {
            row.CopyTo(all, r * sequence);
            rowMask.CopyTo(mask, r * sequence);
        }

        return (all, hasMask ? mask : null, [rows, sequence]);
    }

    /// <summary>A combined model also wants a text: <see cref="DummyTextInputs"/>.</summary>
    private void AddDummyText(List<string> names, List<OrtValue> values)
    {
        if (_dummyIds is not { } ids)
        {
            return;
        }

        names.Add(InputIds);
        values.Add(OrtValue.CreateTensorValueFromMemory(ids, _dummyShape));
        if (_dummyMask is { } mask)
        {
            names.Add(AttentionMask);
            values.Add(OrtValue.CreateTensorValueFromMemory(mask, _dummyShape));
        }
    }
}
