using Microsoft.Extensions.Logging;

namespace RichScoring.Onnx;

/// <summary>The encoders' log messages (source-generated, no allocation when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Prompt truncated to {ContextLength} tokens: \"{Prompt}\"")]
    public static partial void PromptTruncated(ILogger logger, string prompt, int contextLength);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Image {ImageId} could not be encoded: {Reason}")]
    public static partial void ImageFailed(ILogger logger, string imageId, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Loaded {Role} model {File} ({Family}, {Layout}) in {Milliseconds} ms")]
    public static partial void ModelLoaded(ILogger logger, string role, string file, ModelFamily family, string layout, long milliseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void SigLipLogitsUnknown(ILogger logger, string message);
}
