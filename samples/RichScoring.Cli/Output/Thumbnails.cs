using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace RichScoring.Cli.Output;

/// <summary>Small JPEG thumbnails as data: URIs, so the gallery is one self-contained file.</summary>
internal static class Thumbnails
{
    public const int MaxSide = 320;

    /// <summary>A data: URI of a thumbnail of <paramref name="image"/>, or null when it cannot be decoded.</summary>
    public static string? DataUri(ReadOnlyMemory<byte> image, long maxPixels = 50_000_000)
    {
        if (image.IsEmpty)
        {
            return null;
        }

        try
        {
            var bytes = image.ToArray(); // ImageSharp 2.1 reads headers from arrays or streams, not spans
            var info = Image.Identify(bytes);
            if (info is null || (long)info.Width * info.Height > maxPixels)
            {
                return null;
            }

            using var decoded = Image.Load(bytes);
            decoded.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = new Size(MaxSide, MaxSide), Mode = ResizeMode.Max }));
            using var ms = new MemoryStream();
            decoded.SaveAsJpeg(ms, new JpegEncoder { Quality = 80 });
            return "data:image/jpeg;base64," + Convert.ToBase64String(ms.GetBuffer(), 0, (int)ms.Length);
        }
        catch (Exception ex) when (ex is ImageFormatException or UnknownImageFormatException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
