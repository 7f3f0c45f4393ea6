namespace RichScoring.Onnx;

/// <summary>Plugs CLIP / SigLIP ONNX models into a <see cref="ScoringPipelineBuilder"/>.</summary>
public static class OnnxScoringPipelineBuilderExtensions
{
    /// <summary>
    /// Uses the CLIP or SigLIP model in <paramref name="modelFolder"/> for text and images. The folder is loaded when
    /// the pipeline is built and released when the pipeline is disposed. The default CLIP scorer then uses the
    /// model's logit scale (and SigLIP's bias). A SigLIP model needs its learned logit scale and bias: from
    /// <see cref="OnnxModelOptions.LogitScale"/> / <see cref="OnnxModelOptions.LogitBias"/>, config.json, or a combined
    /// export that outputs <c>logits_per_image</c> (docs/models.md); without them the pipeline is not built.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="modelFolder">A model folder (see docs/models.md).</param>
    /// <param name="options">Loading and running options.</param>
    /// <exception cref="ModelFolderException">
    /// At validation (<see cref="ScoringPipelineBuilder.Validate"/>, <see cref="ScoringPipelineBuilder.Build"/>, or
    /// <c>services.AddRichScoring(…)</c> at registration): the folder is missing or does not hold a usable model, or a
    /// SigLIP split folder has no logit scale and bias. At build: the same for a model whose encoders cannot be created.
    /// </exception>
    public static ScoringPipelineBuilder UseClip(this ScoringPipelineBuilder builder, string modelFolder, OnnxModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelFolder);
        return builder.UseEncoders(
            (_, loggerFactory) =>
            {
                var model = ClipModel.Load(modelFolder, options, loggerFactory);
                try
                {
                    var encoders = (model.TextEncoder, model.ImageEncoder, model);
                    model.RequireSigLipLogits(loaded: true);
                    return encoders;
                }
                catch
                {
                    model.Dispose();
                    throw;
                }
            },
            // Opening the folder checks the layout (files, config, preprocessing) and creates no ONNX session.
            validate: () =>
            {
                using var model = ClipModel.Load(modelFolder, options);
                model.RequireSigLipLogits(loaded: false);
            });
    }
}
