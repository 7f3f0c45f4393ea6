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
    private readonly bool _ownsSession;
    private readonly int? _fixedBatch;
    private readonly TensorElementType _inputType;
    private readonly long[]? _dummyIds;
    private readonly bool _dummyMask;
    private int _disposed;

    internal ClipImageEncoder(ModelFolder folder, OnnxSession session, ImagePreprocessor preprocessor, long[]? dummyTokens, (float? Scale, float? Bias) logits, OnnxModelOptions options, bool ownsSession, ILogger? logger)
    {
        _session = session;
        Preprocessor = preprocessor;
        _options = options;
        _ownsSession = ownsSession;
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

        if (inputs.ContainsKey(InputIds))
        {
            // A combined model: images alone still need a text fed; the shortest one is start + end token.
            _dummyIds = dummyTokens ?? [0, 0];
            _dummyMask = inputs.ContainsKey(AttentionMask);
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
        return ClipModel.CreateImageEncoder(model, options, ownsSession: true, logger);
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

    /// <summary>Releases the session when this encoder owns it (created with <see cref="Create"/>); otherwise its <see cref="ClipModel"/> does.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsSession)
        {
            _session.Dispose();
        }
    }

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

    /// <summary>A combined model also wants a text: the shortest one (start + end token) with its mask.</summary>
    private void AddDummyText(List<string> names, List<OrtValue> values)
    {
        if (_dummyIds is not { } ids)
        {
            return;
        }

        names.Add(InputIds);
        values.Add(OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]));
        if (_dummyMask)
        {
            names.Add(AttentionMask);
            values.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, ids.Length).ToArray(), [1, ids.Length]));
        }
    }
}
