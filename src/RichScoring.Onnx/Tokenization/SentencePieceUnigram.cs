using System.Buffers;
using System.Text;

namespace RichScoring.Onnx.Tokenization;

/// <summary>
/// SentencePiece's unigram segmentation (<c>unigram::Model::EncodeOptimized</c>), reproduced to the tie: the best
/// path is found left to right; a piece's candidate score is summed in double precision and stored as float, an
/// unknown character's in float, and an earlier start wins an equal score. Runs of unknown characters become one
/// &lt;unk&gt;, as <c>SentencePieceProcessor</c> reports them. Microsoft.ML.Tokenizers 2.0.1 sums pieces in float
/// and reports one &lt;unk&gt; per character, which changes the ids of some texts ("ppp" after another piece).
/// </summary>
internal sealed class SentencePieceUnigram
{
    private const float UnknownPenalty = 10f;
    private const float FloatMin = 1.17549435E-38f; // C's FLT_MIN, where SentencePiece starts its maximum score

    // Every piece and every prefix of one: Id >= 0 for a piece, -1 for a prefix only, so a lookup that fails ends
    // the scan as SentencePiece's trie does.
    private readonly Dictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxPieceLength;
    private readonly int _unknownId;
    private readonly float _unknownScore;
    private readonly float _maxScore;

    public SentencePieceUnigram(IReadOnlyList<Piece> pieces, int unknownId)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var entries = new Dictionary<string, Entry>(pieces.Count * 2, StringComparer.Ordinal);
        var minScore = float.MaxValue;
        var maxScore = FloatMin;
        for (var id = 0; id < pieces.Count; id++)
        {
            var (text, score, type) = pieces[id];
            if (type == PieceType.Normal)
            {
                minScore = Math.Min(minScore, score);
                maxScore = Math.Max(maxScore, score);
            }

            if (type is not (PieceType.Normal or PieceType.UserDefined or PieceType.Unused) || text.Length == 0)
            {
                continue;
            }

            // The first of two equal pieces keeps its id, as SentencePiece's piece map does.
            if (!entries.TryGetValue(text, out var existing) || existing.Id < 0)
            {
                entries[text] = new Entry(id, score, type);
            }

            for (var length = 1; length < text.Length; length++)
            {
                entries.TryAdd(text[..length], Entry.Prefix);
            }

            _maxPieceLength = Math.Max(_maxPieceLength, text.Length);
        }

        _lookup = entries.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownId = unknownId;
        _unknownScore = minScore - UnknownPenalty;
        _maxScore = maxScore;
    }

    /// <summary>
    /// Segments <paramref name="normalized"/> (already normalized, spaces escaped as U+2581) and writes the ids to
    /// <paramref name="ids"/>, which needs one slot per character at most. Returns how many it wrote.
    /// </summary>
    public int Encode(ReadOnlySpan<char> normalized, Span<int> ids)
    {
        var size = normalized.Length;
        if (size == 0)
        {
            return 0;
        }

        var scores = ArrayPool<float>.Shared.Rent(size + 1);
        var starts = ArrayPool<int>.Shared.Rent(size + 1);
        var pieceIds = ArrayPool<int>.Shared.Rent(size + 1);
        try
        {
            Array.Clear(scores, 0, size + 1);
            starts.AsSpan(0, size + 1).Fill(-1);
            FindBestPath(normalized, scores, starts, pieceIds);
            return Backtrack(size, starts, pieceIds, ids);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(pieceIds);
        }
    }

    private void FindBestPath(ReadOnlySpan<char> text, float[] scores, int[] starts, int[] pieceIds)
    {
        var size = text.Length;
        var start = 0;
        while (start < size)
        {
            var charLength = char.IsHighSurrogate(text[start]) && start + 1 < size && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
            var scoreHere = scores[start];
            var hasSingleCharPiece = false;
            var limit = Math.Min(size, start + _maxPieceLength);
            for (var end = start + 1; end <= limit; end++)
            {
                if (!_lookup.TryGetValue(text[start..end], out var entry))
                {
                    break;
                }

                if (entry.Id < 0 || entry.Type == PieceType.Unused)
                {
                    continue;
                }

                // SentencePiece: score = user_defined ? length * max_score - 0.1 : piece score, a double (0.1 is one),
                // so the sum is double and only its stored value is rounded to float.
                var score = entry.Type == PieceType.UserDefined
                    ? (double)(Encoding.UTF8.GetByteCount(text[start..end]) * _maxScore) - 0.1
                    : entry.Score;
                var candidate = score + scoreHere;
                if (starts[end] == -1 || candidate > scores[end])
                {
                    scores[end] = (float)candidate;
                    starts[end] = start;
                    pieceIds[end] = entry.Id;
                }

                hasSingleCharPiece |= end - start == charLength;
            }

            if (!hasSingleCharPiece)
            {
                var end = start + charLength;
                var candidate = _unknownScore + scoreHere; // float + float in SentencePiece
                if (starts[end] == -1 || candidate > scores[end])
                {
                    scores[end] = candidate;
                    starts[end] = start;
                    pieceIds[end] = _unknownId;
                }
            }

            start += charLength;
        }
    }

    private int Backtrack(int size, int[] starts, int[] pieceIds, Span<int> ids)
    {
        var count = 0;
        for (var end = size; end > 0; end = starts[end])
        {
            ids[count++] = pieceIds[end];
        }

        ids[..count].Reverse();

        // Merge each run of unknowns into one.
        var written = 0;
        for (var i = 0; i < count; i++)
        {
            if (ids[i] == _unknownId && written > 0 && ids[written - 1] == _unknownId)
            {
                continue;
            }

            ids[written++] = ids[i];
        }

        return written;
    }

    private readonly record struct Entry(int Id, float Score, PieceType Type)
    {
        public static Entry Prefix => new(-1, 0, PieceType.Normal);
    }
}
