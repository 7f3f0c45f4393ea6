namespace RichScoring.Onnx.Tokenization;

/// <summary>One vocabulary entry of a SentencePiece model.</summary>
/// <param name="Text">The piece, with U+2581 for a space.</param>
/// <param name="Score">Its log probability (unigram) or merge rank (BPE).</param>
/// <param name="Type">What kind of piece it is.</param>
internal readonly record struct Piece(string Text, float Score, PieceType Type);
