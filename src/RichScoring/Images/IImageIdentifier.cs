namespace RichScoring;

/// <summary>
/// Reads an image's format and size from its header without decoding the pixels, so that heuristics (minimum size,
/// aspect ratio) and the pixel limit apply before any expensive work. Image encoders offer one through
/// <c>GetService(typeof(IImageIdentifier))</c>.
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IImageIdentifier
{
    /// <summary>Identifies an encoded image.</summary>
    /// <param name="encodedImage">The file's bytes.</param>
    /// <returns>Width, height, format and byte length.</returns>
    /// <exception cref="InvalidImageException">The bytes are not a usable image (empty, HTML, corrupt header, over the pixel limit).</exception>
    ImageMetadata Identify(ReadOnlyMemory<byte> encodedImage);
}
