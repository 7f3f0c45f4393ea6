namespace RichScoring;

/// <summary>Fetches the bytes of candidates that arrive as web URLs (safely: limits, SSRF guard, retries).</summary>
/// <remarks>Implementations must be thread-safe; the pipeline calls them concurrently, up to its fetch parallelism.</remarks>
public interface ICandidateFetcher
{
    /// <summary>Fetches one candidate's image.</summary>
    /// <param name="source">The candidate's http or https URL.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The body, exactly as received.</returns>
    /// <exception cref="Exception">Any failure; its message becomes the candidate's Failed reason.</exception>
    Task<ReadOnlyMemory<byte>> FetchAsync(Uri source, CancellationToken cancellationToken = default);
}
