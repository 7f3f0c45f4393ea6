namespace RichScoring;

/// <summary>Which member of a group of near-duplicates <see cref="NearDuplicateRemover"/> keeps.</summary>
public enum DuplicateKeepRule
{
    /// <summary>The one with the highest score; on a tie, the one ranked first.</summary>
    Score = 0,

    /// <summary>
    /// The one with the most pixels (width × height from <see cref="DeduplicationRequest.Metadata"/>; unknown counts
    /// as none); on a tie, the one with the higher score, then the one ranked first.
    /// </summary>
    Resolution = 1,
}
