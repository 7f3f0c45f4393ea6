namespace RichScoring.Onnx;

/// <summary>The training objective of a model, which decides its tokenizer, preprocessing and how scores are calibrated.</summary>
public enum ModelFamily
{
    /// <summary>CLIP (softmax contrastive loss): byte-level BPE tokenizer, 77 tokens, shortest-edge resize and center crop.</summary>
    Clip = 0,

    /// <summary>SigLIP (sigmoid loss): SentencePiece tokenizer, 64 tokens, plain resize; probabilities are sigmoid(scale·cos + bias).</summary>
    SigLip = 1,
}
