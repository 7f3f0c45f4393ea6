using System.Buffers;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// Turns encoded image bytes into a model's <c>pixel_values</c>: decode (guarded, see <see cref="ImageDecodeOptions"/>),
/// convert to RGB, resize exactly as PIL does, center-crop, rescale and normalise, written straight into a caller's
/// float32 CHW slice (<c>[3, Height, Width]</c>, for example one image of a <c>[batch, 3, H, W]</c> buffer).
/// </summary>
/// <remarks>
/// With <see cref="ImageDecodeOptions.Reference"/> and OpenAI's configuration the result matches OpenAI CLIP's own
/// preprocessing to the 8-bit level, up to the differences between ImageSharp's and libjpeg's JPEG decoders.
/// Instances are immutable and thread-safe; temporaries come from <see cref="ArrayPool{T}"/>.
/// </remarks>
public sealed class ImagePreprocessor : IImageIdentifier
{
    private readonly SafeImageDecoder _decoder;
    private readonly float[] _table;
    private readonly RgbColor? _background;

    /// <summary>Creates a preprocessor.</summary>
    /// <param name="config">The model's preprocessing; validated here.</param>
    /// <param name="options">Decoding guards and conversions; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <exception cref="InvalidDataException"><paramref name="config"/> is inconsistent.</exception>
    public ImagePreprocessor(PreprocessorConfig config, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        Options = options ?? ImageDecodeOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.MaxPixels, 1, nameof(options));
        Height = config.OutputHeight;
        Width = config.OutputWidth;
        _decoder = new SafeImageDecoder(Options);
        _table = NormalizationTable.Create(config);
        _background = Options.AlphaMode == AlphaMode.CompositeOnBackground
            ? new RgbColor(Options.Background.R, Options.Background.G, Options.Background.B)
            : null;
    }

    /// <summary>The preprocessing configuration.</summary>
    public PreprocessorConfig Config { get; }

    /// <summary>The decoding options.</summary>
    public ImageDecodeOptions Options { get; }

    /// <summary>Channels of the output: R, G, B.</summary>
    public const int Channels = 3;

    /// <summary>Height of the output.</summary>
    public int Height { get; }

    /// <summary>Width of the output.</summary>
    public int Width { get; }

    /// <summary>Floats one image occupies: <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/>.</summary>
    public int TensorLength => Channels * Height * Width;

    /// <summary>Reads an image's header only: format and size (as displayed, after EXIF orientation when applied).</summary>
    /// <param name="encodedImage">The encoded image.</param>
    /// <returns>Width, height, byte length and format.</returns>
    /// <exception cref="InvalidImageException">Empty, not an image, unsupported, unreadable header, zero size or over the pixel limit.</exception>
    public ImageMetadata Identify(ReadOnlyMemory<byte> encodedImage) =>
        _decoder.Identify(encodedImage).ToMetadata(encodedImage.Length);

    /// <summary>Reads an image's header only (copies the bytes to a pooled buffer first).</summary>
    /// <param name="encodedImage">The encoded image.</param>
    /// <returns>Width, height, byte length and format.</returns>
    /// <exception cref="InvalidImageException">Empty, not an image, unsupported, unreadable header, zero size or over the pixel limit.</exception>
    public ImageMetadata Identify(ReadOnlySpan<byte> encodedImage)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(encodedImage.Length);
        try
        {
            encodedImage.CopyTo(buffer);
            return Identify(buffer.AsMemory(0, encodedImage.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes and preprocesses one image into <paramref name="destination"/>.</summary>
    /// <param name="encodedImage">The encoded image (JPEG, PNG, GIF, WebP, BMP, TIFF, TGA, PBM).</param>
    /// <param name="destination">At least <see cref="TensorLength"/> floats; receives <c>[3, Height, Width]</c>, channel planes R, G, B.</param>
    /// <returns>The image's width, height (as displayed), byte length and format.</returns>
    /// <exception cref="InvalidImageException">The bytes are not a usable image; <see cref="InvalidImageException.Kind"/> says why.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public ImageMetadata Preprocess(ReadOnlyMemory<byte> encodedImage, Span<float> destination)
    {
        if (destination.Length < TensorLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} floats; one image needs {TensorLength}.", nameof(destination));
        }

        var (image, header) = _decoder.Decode(encodedImage);
        using (image)
        {
            var source = new ImageRowSource(image);
            var geometry = ResizeGeometry.For(Config, image.Width, image.Height);
            var sink = new NormalizingSink(destination[..TensorLength], Width, Height, _table);
            var background = SafeImageDecoder.MayHaveAlpha(header.Format) ? _background : null;
            PilResampler.Resample(ref source, geometry, Config.Resample, background, ref sink, ResamplerPaths.Best);
        }

        return header.ToMetadata(encodedImage.Length);
    }

    /// <summary>Decodes and preprocesses one image into <paramref name="destination"/> (copies the bytes to a pooled buffer first).</summary>
    /// <param name="encodedImage">The encoded image (JPEG, PNG, GIF, WebP, BMP, TIFF, TGA, PBM).</param>
    /// <param name="destination">At least <see cref="TensorLength"/> floats; receives <c>[3, Height, Width]</c>, channel planes R, G, B.</param>
    /// <returns>The image's width, height (as displayed), byte length and format.</returns>
    /// <exception cref="InvalidImageException">The bytes are not a usable image; <see cref="InvalidImageException.Kind"/> says why.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public ImageMetadata Preprocess(ReadOnlySpan<byte> encodedImage, Span<float> destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(encodedImage.Length);
        try
        {
            encodedImage.CopyTo(buffer);
            return Preprocess(buffer.AsMemory(0, encodedImage.Length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
