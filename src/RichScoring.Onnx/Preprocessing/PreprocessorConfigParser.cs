using System.Text.Json;

namespace RichScoring.Onnx.Preprocessing;

/// <summary>Reads Hugging Face <c>preprocessor_config.json</c> files, with errors that name the file and the field.</summary>
internal static class PreprocessorConfigParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static PreprocessorConfig Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(source, "(root)", "must be a JSON object");
            }

            var type = OptionalString(root, "image_processor_type", source) ?? OptionalString(root, "feature_extractor_type", source) ?? "";
            var defaults = type.Contains("siglip", StringComparison.OrdinalIgnoreCase) ? PreprocessorConfig.SigLip : PreprocessorConfig.OpenAiClip;

            var doCenterCrop = OptionalBool(root, "do_center_crop", source) ?? defaults.DoCenterCrop;
            var (shortestEdge, height, width) = ReadSize(root, source, doCenterCrop, defaults);
            var (cropHeight, cropWidth) = ReadCropSize(root, source, defaults);

            var config = new PreprocessorConfig
            {
                DoResize = OptionalBool(root, "do_resize", source) ?? defaults.DoResize,
                ShortestEdge = shortestEdge,
                ResizeHeight = height,
                ResizeWidth = width,
                Resample = ReadResample(root, source) ?? defaults.Resample,
                DoCenterCrop = doCenterCrop,
                CropHeight = cropHeight,
                CropWidth = cropWidth,
                DoRescale = OptionalBool(root, "do_rescale", source) ?? defaults.DoRescale,
                RescaleFactor = OptionalNumber(root, "rescale_factor", source) ?? defaults.RescaleFactor,
                DoNormalize = OptionalBool(root, "do_normalize", source) ?? defaults.DoNormalize,
                ImageMean = ReadTriple(root, "image_mean", source) ?? defaults.ImageMean,
                ImageStd = ReadTriple(root, "image_std", source) ?? defaults.ImageStd,
                DoConvertRgb = OptionalBool(root, "do_convert_rgb", source) ?? defaults.DoConvertRgb,
            };
            config.Validate(source);
            return config;
        }
    }

    private static (int? ShortestEdge, int? Height, int? Width) ReadSize(JsonElement root, string source, bool doCenterCrop, PreprocessorConfig defaults)
    {
        if (!root.TryGetProperty("size", out var size) || size.ValueKind == JsonValueKind.Null)
        {
            return (defaults.ShortestEdge, defaults.ResizeHeight, defaults.ResizeWidth);
        }

        if (size.ValueKind == JsonValueKind.Number)
        {
            // A bare number means "shortest edge" for CLIP-style processors that crop afterwards, a square otherwise.
            var n = Int(size, source, "size");
            return doCenterCrop ? (n, null, null) : (null, n, n);
        }

        if (size.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, "size", "must be an integer or an object with 'shortest_edge', or 'height' and 'width'");
        }

        if (size.TryGetProperty("longest_edge", out _))
        {
            throw Invalid(source, "size.longest_edge", "is not supported (use shortest_edge, or height and width)");
        }

        if (size.TryGetProperty("shortest_edge", out var edge))
        {
            return (Int(edge, source, "size.shortest_edge"), null, null);
        }

        if (size.TryGetProperty("height", out var h) && size.TryGetProperty("width", out var w))
        {
            return (null, Int(h, source, "size.height"), Int(w, source, "size.width"));
        }

        throw Invalid(source, "size", "must have 'shortest_edge', or both 'height' and 'width'");
    }

    private static (int Height, int Width) ReadCropSize(JsonElement root, string source, PreprocessorConfig defaults)
    {
        if (!root.TryGetProperty("crop_size", out var crop) || crop.ValueKind == JsonValueKind.Null)
        {
            return (defaults.CropHeight, defaults.CropWidth);
        }

        if (crop.ValueKind == JsonValueKind.Number)
        {
            var n = Int(crop, source, "crop_size");
            return (n, n);
        }

        if (crop.ValueKind == JsonValueKind.Object && crop.TryGetProperty("height", out var h) && crop.TryGetProperty("width", out var w))
        {
            return (Int(h, source, "crop_size.height"), Int(w, source, "crop_size.width"));
        }

        throw Invalid(source, "crop_size", "must be an integer or an object with 'height' and 'width'");
    }

    private static ResampleFilter? ReadResample(JsonElement root, string source)
    {
        if (!root.TryGetProperty("resample", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var code = Int(value, source, "resample");
        return code is >= 0 and <= 5
            ? (ResampleFilter)code
            : throw Invalid(source, "resample", $"must be a PIL filter code 0-5 (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming), not {code}");
    }

    private static float[]? ReadTriple(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            var x = (float)Number(value, source, name);
            return [x, x, x];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is not (1 or 3))
        {
            throw Invalid(source, name, "must be a number or an array of 3 numbers");
        }

        var values = new float[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            values[i] = (float)Number(item, source, $"{name}[{i}]");
            i++;
        }

        return values.Length == 3 ? values : [values[0], values[0], values[0]];
    }

    private static bool? OptionalBool(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(source, name, "must be true or false"),
        };
    }

    private static double? OptionalNumber(JsonElement root, string name, string source) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Number(value, source, name) : null;

    private static string? OptionalString(JsonElement root, string name, string source)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(source, name, "must be a string");
    }

    private static double Number(JsonElement value, string source, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Invalid(source, field, $"must be a number, not {Describe(value)}");

    private static int Int(JsonElement value, string source, string field)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt32(out var i))
            {
                return i;
            }

            // 224.0 is an integer too.
            if (value.TryGetDouble(out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
            {
                return (int)d;
            }
        }

        throw Invalid(source, field, $"must be an integer, not {Describe(value)}");
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static InvalidDataException Invalid(string source, string field, string problem) => new($"{source}: '{field}' {problem}.");
}
