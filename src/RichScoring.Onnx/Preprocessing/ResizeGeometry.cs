namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// Where a source image goes: resized to <see cref="ResizedWidth"/> × <see cref="ResizedHeight"/>, then the output
/// window <see cref="OutputWidth"/> × <see cref="OutputHeight"/> taken at (<see cref="Left"/>, <see cref="Top"/>) of
/// the resized image. A negative offset (crop larger than the image) pads with black, as torchvision's CenterCrop does.
/// </summary>
internal readonly record struct ResizeGeometry(int ResizedWidth, int ResizedHeight, int Left, int Top, int OutputWidth, int OutputHeight)
{
    /// <summary>The geometry <paramref name="config"/> gives a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static ResizeGeometry For(PreprocessorConfig config, int width, int height)
    {
        int rw = width, rh = height;
        if (config.DoResize)
        {
            if (config.ShortestEdge is { } edge)
            {
                // torchvision Resize(int): the short side becomes `edge`, the long side int(edge * long / short).
                if (width <= height)
                {
                    rw = edge;
                    rh = (int)((double)((long)edge * height) / width);
                }
                else
                {
                    rh = edge;
                    rw = (int)((double)((long)edge * width) / height);
                }

                rw = Math.Max(rw, 1);
                rh = Math.Max(rh, 1);
            }
            else
            {
                rw = config.ResizeWidth ?? width;
                rh = config.ResizeHeight ?? height;
            }
        }

        if (!config.DoCenterCrop)
        {
            return new(rw, rh, 0, 0, rw, rh);
        }

        return new(rw, rh, CropOffset(rw, config.CropWidth), CropOffset(rh, config.CropHeight), config.CropWidth, config.CropHeight);
    }

    /// <summary>torchvision's center-crop offset: <c>int(round((size − crop) / 2.0))</c> (half to even), or the padding when the crop is larger.</summary>
    internal static int CropOffset(int size, int crop) =>
        crop > size ? -((crop - size) / 2) : (int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven);
}
