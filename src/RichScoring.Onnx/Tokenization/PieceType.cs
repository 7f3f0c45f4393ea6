namespace RichScoring.Onnx.Tokenization;

/// <summary><c>ModelProto.SentencePiece.Type</c>.</summary>
internal enum PieceType
{
    /// <summary>An ordinary piece.</summary>
    Normal = 1,

    /// <summary>The &lt;unk&gt; piece.</summary>
    Unknown = 2,

    /// <summary>A control symbol such as &lt;/s&gt;; never produced from text.</summary>
    Control = 3,

    /// <summary>A symbol always kept whole.</summary>
    UserDefined = 4,

    /// <summary>A byte piece (&lt;0x41&gt;) for byte fallback.</summary>
    Byte = 6,

    /// <summary>A piece present in the vocabulary but never used.</summary>
    Unused = 5,
}
