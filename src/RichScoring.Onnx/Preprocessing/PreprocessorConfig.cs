namespace RichScoring.Onnx.Preprocessing;

/// <summary>
/// How an image becomes a model's <c>pixel_values</c>: the fields of a Hugging Face <c>preprocessor_config.json</c>.
/// The defaults are OpenAI CLIP's (shortest edge 224, bicubic, center crop 224, /255, CLIP mean and std).
/// </summary>
/// <remarks>
/// Resizing either scales the shortest edge to <see cref="ShortestEdge"/> keeping the aspect ratio (CLIP; the long edge
/// becomes <c>int(shortest · long / short)</c> as in torchvision), or, when <see cref="ShortestEdge"/> is null, scales
/// to exactly <see cref="ResizeWidth"/> × <see cref="ResizeHeight"/> (SigLIP). The center crop takes its offsets as
/// torchvision does (<c>int(round((h − crop) / 2))</c>, round half to even).
/// </remarks>
public sealed class PreprocessorConfig
{
    private static readonly float[] ClipMean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] ClipStd = [0.26862954f, 0.26130258f, 0.27577711f];
    private static readonly float[] Half = [0.5f, 0.5f, 0.5f];

    /// <summary>OpenAI CLIP's preprocessing (also what <c>new PreprocessorConfig()</c> gives).</summary>
    public static PreprocessorConfig OpenAiClip { get; } = new();

    /// <summary>SigLIP's preprocessing: a plain bicubic resize to 224 × 224, no crop, mean = std = 0.5.</summary>
    public static PreprocessorConfig SigLip { get; } = new()
    {
        ShortestEdge = null,
        ResizeHeight = 224,
        ResizeWidth = 224,
        DoCenterCrop = false,
        ImageMean = Half,
        ImageStd = Half,
    };

    /// <summary>Whether to resize (<c>do_resize</c>). Default true.</summary>
    public bool DoResize { get; init; } = true;

    /// <summary>Target of the shortest edge, aspect ratio kept (<c>size.shortest_edge</c>); null for an exact-size resize. Default 224.</summary>
    public int? ShortestEdge { get; init; } = 224;

    /// <summary>Exact resize height (<c>size.height</c>), used when <see cref="ShortestEdge"/> is null.</summary>
    public int? ResizeHeight { get; init; }

    /// <summary>Exact resize width (<c>size.width</c>), used when <see cref="ShortestEdge"/> is null.</summary>
    public int? ResizeWidth { get; init; }

    /// <summary>The resampling filter (<c>resample</c>, PIL numbering). Default bicubic.</summary>
    public ResampleFilter Resample { get; init; } = ResampleFilter.Bicubic;

    /// <summary>Whether to center-crop after resizing (<c>do_center_crop</c>). Default true.</summary>
    public bool DoCenterCrop { get; init; } = true;

    /// <summary>Crop height (<c>crop_size.height</c>). Default 224.</summary>
    public int CropHeight { get; init; } = 224;

    /// <summary>Crop width (<c>crop_size.width</c>). Default 224.</summary>
    public int CropWidth { get; init; } = 224;

    /// <summary>Whether to scale 8-bit values by <see cref="RescaleFactor"/> (<c>do_rescale</c>). Default true.</summary>
    public bool DoRescale { get; init; } = true;

    /// <summary>The rescale factor (<c>rescale_factor</c>). Default 1/255.</summary>
    public double RescaleFactor { get; init; } = 1.0 / 255.0;

    /// <summary>Whether to normalise with <see cref="ImageMean"/> and <see cref="ImageStd"/> (<c>do_normalize</c>). Default true.</summary>
    public bool DoNormalize { get; init; } = true;

    /// <summary>Per-channel mean, R, G, B (<c>image_mean</c>). Default CLIP's.</summary>
    public IReadOnlyList<float> ImageMean { get; init; } = ClipMean;

    /// <summary>Per-channel standard deviation, R, G, B (<c>image_std</c>). Default CLIP's.</summary>
    public IReadOnlyList<float> ImageStd { get; init; } = ClipStd;

    /// <summary>
    /// <c>do_convert_rgb</c>, kept for completeness: images are always converted to 3-channel RGB, since the model
    /// input has three channels.
    /// </summary>
    public bool DoConvertRgb { get; init; } = true;

    /// <summary>Height of the output tensor: the crop height, else the exact resize height.</summary>
    public int OutputHeight => DoCenterCrop ? CropHeight : ResizeHeight ?? throw NoFixedSize();

    /// <summary>Width of the output tensor: the crop width, else the exact resize width.</summary>
    public int OutputWidth => DoCenterCrop ? CropWidth : ResizeWidth ?? throw NoFixedSize();

    /// <summary>Reads a <c>preprocessor_config.json</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The configuration; fields absent from the file keep their defaults (SigLIP's for a SigLIP processor).</returns>
    /// <exception cref="InvalidDataException">The file is not valid JSON, or a field has a wrong type or value; the message names the file and the field.</exception>
    public static PreprocessorConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the JSON text of a <c>preprocessor_config.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">What to call the source in error messages (a file path).</param>
    /// <returns>The configuration; fields absent from the JSON keep their defaults (SigLIP's for a SigLIP processor).</returns>
    /// <exception cref="InvalidDataException">The text is not valid JSON, or a field has a wrong type or value; the message names the source and the field.</exception>
    public static PreprocessorConfig Parse(string json, string sourceName = "preprocessor_config.json")
    {
        ArgumentNullException.ThrowIfNull(json);
        return PreprocessorConfigParser.Parse(json, sourceName);
    }

    /// <summary>Checks that the fields are consistent and give a fixed output size.</summary>
    /// <exception cref="InvalidDataException">A field is out of range or the combination gives no fixed tensor size.</exception>
    public void Validate() => Validate("preprocessor configuration");

    internal void Validate(string sourceName)
    {
        if (DoResize)
        {
            if (ShortestEdge is { } edge)
            {
                Require(edge > 0, sourceName, "size.shortest_edge", "must be positive");
                Require(DoCenterCrop, sourceName, "do_center_crop", "must be true with size.shortest_edge, or the tensor has no fixed size");
            }
            else
            {
                Require(ResizeHeight is > 0 && ResizeWidth is > 0, sourceName, "size", "needs a positive shortest_edge, or a positive height and width");
            }
        }
        else
        {
            Require(DoCenterCrop, sourceName, "do_center_crop", "must be true when do_resize is false, or the tensor has no fixed size");
        }

        if (DoCenterCrop)
        {
            Require(CropHeight > 0 && CropWidth > 0, sourceName, "crop_size", "must be positive");
        }

        Require(!DoRescale || (double.IsFinite(RescaleFactor) && RescaleFactor > 0), sourceName, "rescale_factor", "must be a positive number");
        Require(ImageMean is { Count: 3 }, sourceName, "image_mean", "must have 3 values");
        Require(ImageStd is { Count: 3 } && ImageStd.All(s => s != 0 && float.IsFinite(s)), sourceName, "image_std", "must have 3 non-zero values");
        Require(Enum.IsDefined(Resample), sourceName, "resample", "must be a PIL filter code 0-5");
    }

    private static void Require(bool condition, string sourceName, string field, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"{sourceName}: '{field}' {problem}.");
        }
    }

    private static InvalidOperationException NoFixedSize() =>
        new("The configuration has no fixed output size: it needs a center crop or an exact resize height and width.");
}
