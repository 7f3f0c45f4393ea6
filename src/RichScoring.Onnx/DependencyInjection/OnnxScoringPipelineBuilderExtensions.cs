namespace RichScoring.Onnx;

/// <summary>Plugs CLIP / SigLIP ONNX models into a <see cref="ScoringPipelineBuilder"/>.</summary>
public static class OnnxScoringPipelineBuilderExtensions
{
    /// <summary>
    /// Uses the CLIP or SigLIP model in <paramref name="modelFolder"/> for text and images. The folder is loaded when
    /// the pipeline is built and released when the pipeline is disposed. The default CLIP scorer then uses the
    /// model's logit scale (and SigLIP's bias).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="modelFolder">A model folder (see docs/models.md).</param>
    /// <param name="options">Loading and running options.</param>
    /// <exception cref="ModelFolderException">At build: the folder is missing or does not hold a usable model.</exception>
    public static ScoringPipelineBuilder UseClip(this ScoringPipelineBuilder builder, string modelFolder, OnnxModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        return builder.UseEncoders((_, loggerFactory) =>
        {
            var model = ClipModel.Load(modelFolder, options, loggerFactory);
            try
            {
                return (model.TextEncoder, model.ImageEncoder, model);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        });
    }
}
