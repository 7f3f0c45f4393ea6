using System.Globalization;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// Decodes untrusted bytes with ImageSharp behind guards: content sniffing (an HTML page is "not an image: HTML
/// document", not a decoder error), the header's pixel count checked against a limit before any pixel is decoded,
/// structural checks for truncation, first frame only, EXIF orientation. Every refusal is an
/// <see cref="InvalidImageException"/> of a specific <see cref="ImageErrorKind"/>. Stateless and thread-safe.
/// </summary>
internal sealed class SafeImageDecoder(ImageDecodeOptions options)
{
    private static readonly GifDecoder FirstFrameGif = new() { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First };
    private static readonly TiffDecoder FirstPageTiff = new() { DecodingMode = SixLabors.ImageSharp.Metadata.FrameDecodingMode.First };

    private readonly Configuration _configuration = Configuration.Default;

    /// <summary>Reads and checks the header only.</summary>
    public ImageHeader Identify(ReadOnlyMemory<byte> data) => Inspect(data).Header;

    /// <summary>Checks and decodes the first frame as RGBA, EXIF orientation applied when the options say so.</summary>
    public (Image<Rgba32> Image, ImageHeader Header) Decode(ReadOnlyMemory<byte> data)
    {
        var (header, decodable) = Inspect(data);
        var problem = ImageStructure.FindProblem(header.Format, data.Span);
        if (problem is not null)
        {
            throw new InvalidImageException(ImageErrorKind.Corrupt, problem);
        }

        Image<Rgba32> image;
        try
        {
            using var stream = AsStream(decodable);
            image = header.Format switch
            {
                "GIF" => Image.Load<Rgba32>(_configuration, stream, FirstFrameGif),
                "TIFF" => Image.Load<Rgba32>(_configuration, stream, FirstPageTiff),
                _ => Image.Load<Rgba32>(_configuration, stream),
            };
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Failure(header.Format, e);
        }

        try
        {
            if (image.Width != header.Width || image.Height != header.Height)
            {
                throw new InvalidImageException(
                    ImageErrorKind.Corrupt,
                    $"corrupt {header.Format}: the header says {header.Width}×{header.Height}, the data {image.Width}×{image.Height}");
            }

            if (header.Orientation != 1)
            {
                image.Mutate(x => x.AutoOrient());
            }

            return (image, header);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Sniffs, identifies and checks the header; also gives the bytes to decode (an animated WebP's first frame).</summary>
    private (ImageHeader Header, ReadOnlyMemory<byte> Decodable) Inspect(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new InvalidImageException(ImageErrorKind.Empty, "empty: no bytes");
        }

        var sniff = ContentSniffer.Sniff(data.Span);
        switch (sniff.Kind)
        {
            case SniffKind.NotAnImage:
                throw new InvalidImageException(ImageErrorKind.NotAnImage, $"not an image: {sniff.Name}");
            case SniffKind.UnsupportedImage:
                throw new InvalidImageException(ImageErrorKind.UnsupportedFormat, $"unsupported image format: {sniff.Name}");
        }

        var decodable = data;
        if (sniff.Name == "WebP" && WebpFirstFrame.IsAnimated(data.Span))
        {
            decodable = WebpFirstFrame.Extract(data.Span)
                ?? throw new InvalidImageException(ImageErrorKind.Corrupt, "corrupt WebP: an animation without a readable frame");
        }

        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var stream = AsStream(decodable);
            info = Image.Identify(_configuration, stream, out format);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw Failure(sniff.Kind == SniffKind.Image ? sniff.Name : "image", e);
        }

        if (info is null || format is null)
        {
            throw sniff.Kind == SniffKind.Image
                ? new InvalidImageException(ImageErrorKind.Corrupt, $"corrupt {sniff.Name}: the header cannot be read")
                : new InvalidImageException(ImageErrorKind.NotAnImage, $"not an image: {sniff.Name} ({DescribeStart(data.Span)})");
        }

        var name = format.Name == "Webp" ? "WebP" : format.Name;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new InvalidImageException(ImageErrorKind.ZeroSize, $"{name} of zero size ({info.Width}×{info.Height})");
        }

        var pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
        {
            throw new InvalidImageException(
                ImageErrorKind.TooLarge,
                $"{info.Width}×{info.Height} ({Megapixels(pixels)} MP) exceeds the {Megapixels(options.MaxPixels)} MP limit");
        }

        var header = new ImageHeader(name, info.Width, info.Height, options.ApplyExifOrientation ? Orientation(info.Metadata) : 1);
        return (header, decodable);
    }

    /// <summary>Whether the alpha channel of <paramref name="format"/> can hold anything but 255.</summary>
    public static bool MayHaveAlpha(string format) => format is not ("JPEG" or "PBM");

    private static InvalidImageException Failure(string format, Exception e) => e switch
    {
        NotSupportedException => new(ImageErrorKind.UnsupportedFormat, $"unsupported {format} variant: {e.Message}", e),
        InvalidMemoryOperationException => new(ImageErrorKind.TooLarge, $"{format} too large to decode: {e.Message}", e),
        _ => new(ImageErrorKind.Corrupt, $"corrupt {format}: {e.Message}", e),
    };

    /// <summary>Exceptions that mean "these bytes are bad", as opposed to cancellation or an exhausted process.</summary>
    private static bool IsDecoderFailure(Exception e) =>
        e is ImageFormatException or InvalidMemoryOperationException or NotSupportedException or ArgumentException
            or IndexOutOfRangeException or InvalidOperationException or IOException or OverflowException
            or NullReferenceException or DivideByZeroException or FormatException or InvalidDataException;

    private static int Orientation(SixLabors.ImageSharp.Metadata.ImageMetadata? metadata)
    {
        var value = metadata?.ExifProfile?.GetValue(ExifTag.Orientation);
        return value is { Value: >= 1 and <= 8 } ? value.Value : 1;
    }

    private static string Megapixels(long pixels)
    {
        var mp = pixels / 1e6;
        return mp.ToString(mp >= 10 ? "0" : "0.#", CultureInfo.InvariantCulture);
    }

    private static string DescribeStart(ReadOnlySpan<byte> data) =>
        "starts " + Convert.ToHexString(data[..Math.Min(8, data.Length)]);

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}
