namespace RichScoring;

/// <summary>Describes the model behind a text or image encoder; obtained with <c>GetService(typeof(EncoderMetadata))</c>.</summary>
public sealed class EncoderMetadata
{
    /// <summary>Creates metadata for a model.</summary>
    /// <param name="modelId">Identifies the embedding space (two encoders with the same id produce comparable embeddings).</param>
    /// <param name="dimension">Length of each embedding.</param>
    public EncoderMetadata(string modelId, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ModelId = modelId;
        Dimension = dimension;
    }

    /// <summary>Identifies the embedding space; it is part of every cache key.</summary>
    public string ModelId { get; }

    /// <summary>Length of each embedding.</summary>
    public int Dimension { get; }

    /// <summary>Name of the runtime behind the encoder, for example <c>onnxruntime</c>.</summary>
    public string? ProviderName { get; init; }

    /// <summary>
    /// The model's learned logit scale (the factor applied to cosine similarity before softmax or sigmoid):
    /// 100 for OpenAI CLIP. <see langword="null"/> when unknown.
    /// </summary>
    public float? LogitScale { get; init; }

    /// <summary>The logit bias of sigmoid-trained models such as SigLIP; <see langword="null"/> for softmax-trained CLIP.</summary>
    public float? LogitBias { get; init; }

    /// <summary>The maximum number of tokens a text encoder reads (77 for CLIP); <see langword="null"/> for image encoders.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The image side length an image encoder expects (224 for CLIP ViT-B/32); <see langword="null"/> for text encoders.</summary>
    public int? ImageSize { get; init; }
}
