namespace RichScoring.Onnx;

/// <summary>
/// A model folder does not have the shape RichScoring can use: a file is missing or malformed, or an ONNX model's
/// inputs and outputs are not what a CLIP / SigLIP export has. The message names what was expected and what was found.
/// </summary>
public sealed class ModelFolderException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public ModelFolderException()
        : this("The model folder does not fit.")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public ModelFolderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the underlying error.</summary>
    /// <param name="message">What was expected and what was found.</param>
    /// <param name="innerException">The underlying error (a parse error, an ONNX Runtime error).</param>
    public ModelFolderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The folder concerned, when known.</summary>
    public string? Folder { get; init; }

    /// <summary>
    /// True when the folder is usable but for one thing: it is a SigLIP export that carries neither its learned logit
    /// scale nor its bias, which a scoring pipeline needs (pass them with <see cref="OnnxModelOptions.LogitScale"/> and
    /// <see cref="OnnxModelOptions.LogitBias"/>). Lets a front end word its own advice without parsing the message.
    /// </summary>
    public bool LacksLogitCalibration { get; init; }
}
