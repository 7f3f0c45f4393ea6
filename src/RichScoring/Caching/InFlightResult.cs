namespace RichScoring;

/// <summary>What one call's encoding of an image gave, handed to concurrent calls that wait for the same image.</summary>
/// <param name="Row">The embedding, when the encoder succeeded.</param>
/// <param name="Error">The encoder's error for that image, when it failed.</param>
internal sealed record InFlightResult(ReadOnlyMemory<float>? Row, Exception? Error);
