namespace RichScoring;

/// <summary>
/// Produces candidates for scoring: the image files of a folder, the entries of a list file, the results of an image
/// search. A source only says where each image is and what it already knows about it (size, title, licence); reading
/// and fetching happen in the pipeline, where every failure becomes that candidate's outcome.
/// </summary>
/// <remarks>
/// Implementations list lazily and honour the cancellation token. An error that prevents the whole listing (a missing
/// folder, a malformed list, a search that fails) is thrown from the enumeration; a single unusable entry is not.
/// </remarks>
public interface ICandidateSource
{
    /// <summary>Lists the candidates, in a stable order.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The candidates; ids are unique within one listing.</returns>
    IAsyncEnumerable<Candidate> GetCandidatesAsync(CancellationToken cancellationToken = default);
}
