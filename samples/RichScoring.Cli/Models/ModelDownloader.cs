using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using RichScoring.Onnx;

namespace RichScoring.Cli.Models;

/// <summary>
/// Fetches catalogue models from a Hugging Face hub (<c>{endpoint}/{repo}/resolve/{revision}/{path}</c>) into the
/// model cache: each file streams into <c>&lt;file&gt;.partial</c>, resumes with a Range request after a cut or a later
/// run, is checked against the size and SHA-256 the hub reports (or the catalogue pins), and only then moves into
/// place. Complete files are skipped without a request. One instance may serve several downloads, one at a time per model.
/// </summary>
internal sealed class ModelDownloader : IDisposable
{
    private const int MaxRedirects = 5;
    private static readonly ProductInfoHeaderValue UserAgent = new("richscore", "0.1");

    private readonly ModelDownloaderOptions _options;
    private readonly HttpClient _http;

    public ModelDownloader(ModelDownloaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1, nameof(options.MaxAttempts));
        _options = options;
        // Redirects are followed by hand: the hub's first answer carries X-Linked-Etag, the CDN's final one does not.
        var handler = options.Handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler, disposeHandler: options.Handler is null) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Endpoint => _options.Endpoint;

    public string ModelsRoot => _options.ModelsRoot;

    /// <summary>The folder a catalogue model is (or would be) installed in.</summary>
    public string FolderOf(ModelCatalogueEntry entry) => Path.Combine(_options.ModelsRoot, entry.Name);

    /// <summary>Whether every file of a variant is on disk and verified (no request is made).</summary>
    public bool IsInstalled(ModelCatalogueEntry entry, ModelVariant variant)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var folder = FolderOf(entry);
        return entry.FilesFor(variant).All(f => IsComplete(entry, f, folder));
    }

    /// <summary>Fetches the files of one variant that are not complete yet and returns the model folder.</summary>
    /// <exception cref="ModelDownloadException">A file is missing upstream, could not be fetched after retries, or failed verification.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; partial files stay for the next resume.</exception>
    public async Task<string> DownloadAsync(ModelCatalogueEntry entry, ModelVariant variant, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.Offers(variant))
        {
            throw new ModelDownloadException(
                $"Model '{entry.Name}' has no {ModelVariantNames.ToName(variant)} files (it offers {string.Join(", ", entry.Variants.Select(ModelVariantNames.ToName))}).");
        }

        var folder = FolderOf(entry);
        foreach (var file in entry.FilesFor(variant))
        {
            await DownloadFileAsync(entry, file, folder, progress, cancellationToken).ConfigureAwait(false);
        }

        return folder;
    }

    public void Dispose() => _http.Dispose();

    private static bool IsComplete(ModelCatalogueEntry entry, CatalogueFile file, string folder)
    {
        var target = new FileInfo(Path.Combine(folder, file.Path));
        if (!target.Exists)
        {
            return false;
        }

        var record = DownloadRecord.TryRead(DownloadRecord.PathFor(folder, file.Path));
        return record is { Complete: true }
               && record.Repository == entry.Repository && record.Revision == entry.Revision
               && record.Size == target.Length
               && (file.Size is null || file.Size == target.Length)
               && (file.Sha256 is null || string.Equals(record.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase));
    }

    private async Task DownloadFileAsync(ModelCatalogueEntry entry, CatalogueFile file, string folder, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        if (IsComplete(entry, file, folder))
        {
            var size = new FileInfo(Path.Combine(folder, file.Path)).Length;
            progress?.Report(new(entry.Name, file.Path, DownloadStage.Skipped, size, size));
            return;
        }

        var job = new FileJob(entry, file, folder, HubEndpoint.FileAddress(_options.Endpoint, entry.Repository, entry.Revision, file.Path));
        Directory.CreateDirectory(Path.GetDirectoryName(job.Target)!);
        var freshStartDone = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var resumedFrom = File.Exists(job.Partial) ? new FileInfo(job.Partial).Length : 0;
                var corruption = await TransferAsync(job, progress, cancellationToken).ConfigureAwait(false);
                if (corruption is null)
                {
                    return;
                }

                // A resumed file may have started from a stale partial; one clean transfer settles it.
                if (resumedFrom > 0 && !freshStartDone)
                {
                    freshStartDone = true;
                    progress?.Report(new(entry.Name, file.Path, DownloadStage.Retrying, 0, null, "verification failed after a resume; starting over"));
                    continue;
                }

                throw new ModelDownloadException(corruption);
            }
            catch (RetryableDownloadException ex) when (attempt < _options.MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var done = File.Exists(job.Partial) ? new FileInfo(job.Partial).Length : 0;
                progress?.Report(new(entry.Name, file.Path, DownloadStage.Retrying, done, null, ex.Message));
                await Task.Delay(_options.RetryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (RetryableDownloadException ex)
            {
                throw new ModelDownloadException(
                    $"Could not download {file.Path} of {entry.Repository} from {job.Address.GetLeftPart(UriPartial.Authority)} " +
                    $"after {attempt} {(attempt == 1 ? "try" : "tries")}: {ex.Message} Run the command again to resume.", ex);
            }
        }
    }

    /// <summary>One transfer of one file; returns null when the file is in place, else why it was rejected (partial removed).</summary>
    private async Task<string?> TransferAsync(FileJob job, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var offset = File.Exists(job.Partial) ? new FileInfo(job.Partial).Length : 0;
        var (response, expected) = await SendForAsync(job, offset, cancellationToken).ConfigureAwait(false);
        if (offset > 0 && (int)response.StatusCode is 200 or 206 or 416 && IsStale(job, expected, offset))
        {
            // The partial belongs to another version of the file: drop it and ask for the whole file.
            response.Dispose();
            DeletePartial(job);
            offset = 0;
            (response, expected) = await SendForAsync(job, offset, cancellationToken).ConfigureAwait(false);
        }

        using (response)
        {
            if (offset > 0 && response.StatusCode == HttpStatusCode.OK)
            {
                offset = 0; // the server ignored the range and sends everything
            }

            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                if (expected.Size is not { } size || size != offset)
                {
                    DeletePartial(job);
                    throw new RetryableDownloadException("the server refused to resume; starting over.");
                }
            }
            else if (response.StatusCode == HttpStatusCode.PartialContent)
            {
                if (response.Content.Headers.ContentRange is not { From: { } from } || from != offset)
                {
                    DeletePartial(job);
                    throw new RetryableDownloadException("the server resumed at the wrong position; starting over.");
                }
            }
            else if (response.StatusCode != HttpStatusCode.OK)
            {
                throw Failure(job, response.StatusCode);
            }

            new DownloadRecord
            {
                Repository = job.Entry.Repository,
                Revision = job.Entry.Revision,
                Path = job.File.Path,
                Size = expected.Size,
                Sha256 = expected.Sha256,
                GitBlobSha1 = expected.GitBlobSha1,
                Source = job.Address.AbsoluteUri,
            }.Write(job.Record);

            long written;
            using (var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            using (var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1))
            {
                var stream = OpenPartial(job);
                await using (stream.ConfigureAwait(false))
                {
                    stream.SetLength(offset);
                    if (expected.GitBlobSha1 is not null && expected.Size is { } blobSize)
                    {
                        sha1.AppendData(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"blob {blobSize}\0")));
                    }

                    await HashExistingAsync(stream, offset, sha256, sha1, cancellationToken).ConfigureAwait(false);
                    progress?.Report(new(job.Entry.Name, job.File.Path, DownloadStage.Started, offset, expected.Size));
                    written = response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable
                        ? offset
                        : await CopyAsync(job, response, stream, offset, expected.Size, sha256, sha1, progress, cancellationToken).ConfigureAwait(false);
                }

                if (expected.Size is { } total && written != total)
                {
                    if (written < total)
                    {
                        throw new RetryableDownloadException(string.Create(CultureInfo.InvariantCulture, $"the connection closed after {written:N0} of {total:N0} bytes."));
                    }

                    DeletePartial(job);
                    return $"{Describe(job)}: the server sent {written:N0} bytes where {total:N0} were expected; the file was discarded.";
                }

                var actualSha256 = Convert.ToHexStringLower(sha256.GetHashAndReset());
                var actualSha1 = Convert.ToHexStringLower(sha1.GetHashAndReset());
                if (expected.Sha256 is { } wanted && actualSha256 != wanted)
                {
                    DeletePartial(job);
                    return $"{Describe(job)} is corrupted: its SHA-256 is {actualSha256} but {expected.Sha256Source} says {wanted}. " +
                           $"The damaged download was removed; try again, and if it keeps failing the server ({job.Address.GetLeftPart(UriPartial.Authority)}) is serving a bad copy.";
                }

                if (expected.GitBlobSha1 is { } blob && expected.Size is not null && actualSha1 != blob)
                {
                    DeletePartial(job);
                    return $"{Describe(job)} is corrupted: its git blob id is {actualSha1} but the hub's ETag says {blob}. " +
                           $"The damaged download was removed; try again, and if it keeps failing the server ({job.Address.GetLeftPart(UriPartial.Authority)}) is serving a bad copy.";
                }

                File.Move(job.Partial, job.Target, overwrite: true);
                new DownloadRecord
                {
                    Repository = job.Entry.Repository,
                    Revision = job.Entry.Revision,
                    Path = job.File.Path,
                    Complete = true,
                    Size = written,
                    Sha256 = actualSha256,
                    GitBlobSha1 = expected.GitBlobSha1 is null ? null : actualSha1,
                    Source = job.Address.AbsoluteUri,
                }.Write(job.Record);
                progress?.Report(new(job.Entry.Name, job.File.Path, DownloadStage.Completed, written, written));
                return null;
            }
        }
    }

    private async Task<(HttpResponseMessage Response, Expectation Expected)> SendForAsync(FileJob job, long offset, CancellationToken cancellationToken)
    {
        var (response, info) = await SendAsync(job.Address, offset, cancellationToken).ConfigureAwait(false);
        try
        {
            return (response, Expectation.From(job, response, info));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static bool IsStale(FileJob job, Expectation expected, long offset)
    {
        var previous = DownloadRecord.TryRead(job.Record);
        return previous is null || previous.Complete || !expected.Matches(previous) || (expected.Size is { } size && offset > size);
    }

    private static FileStream OpenPartial(FileJob job)
    {
        try
        {
            // FileShare.None: a second richscore downloading the same file fails here instead of interleaving bytes.
            return new FileStream(job.Partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        }
        catch (IOException ex)
        {
            throw new ModelDownloadException($"{Describe(job)}: '{job.Partial}' is in use (is another richscore downloading it?).", ex);
        }
    }

    private static async Task HashExistingAsync(FileStream stream, long length, IncrementalHash sha256, IncrementalHash sha1, CancellationToken cancellationToken)
    {
        stream.Position = 0;
        var buffer = new byte[1 << 16];
        var left = length;
        while (left > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            sha256.AppendData(buffer, 0, n);
            sha1.AppendData(buffer, 0, n);
            left -= n;
        }

        stream.Position = length;
    }

    private async Task<long> CopyAsync(
        FileJob job, HttpResponseMessage response, FileStream destination, long offset, long? total,
        IncrementalHash sha256, IncrementalHash sha1, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var done = offset;
        var buffer = new byte[1 << 16];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            stall.CancelAfter(_options.StallTimeout);
            var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                while (true)
                {
                    stall.CancelAfter(_options.StallTimeout);
                    var n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return done;
                    }

                    if (total is { } t && done + n > t)
                    {
                        return done + n; // too long: reported and discarded by the caller
                    }

                    await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    sha256.AppendData(buffer, 0, n);
                    sha1.AppendData(buffer, 0, n);
                    done += n;
                    progress?.Report(new(job.Entry.Name, job.File.Path, DownloadStage.Transferring, done, total));
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RetryableDownloadException(
                string.Create(CultureInfo.InvariantCulture, $"no data for {_options.StallTimeout.TotalSeconds:0} s after {done:N0} bytes."), ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw new RetryableDownloadException(string.Create(CultureInfo.InvariantCulture, $"the transfer broke off after {done:N0} bytes ({ex.Message})."), ex);
        }
    }

    private async Task<(HttpResponseMessage Response, RemoteFileInfo Info)> SendAsync(Uri address, long offset, CancellationToken cancellationToken)
    {
        var info = new RemoteFileInfo();
        var current = address;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.UserAgent.Add(UserAgent);
            if (offset > 0)
            {
                request.Headers.Range = new RangeHeaderValue(offset, null);
            }

            HttpResponseMessage response;
            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stall.CancelAfter(_options.StallTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new RetryableDownloadException($"{current.Host} did not answer within {_options.StallTimeout.TotalSeconds:0} s.", ex);
                }
                catch (HttpRequestException ex)
                {
                    throw new RetryableDownloadException($"could not reach {current.GetLeftPart(UriPartial.Authority)} ({ex.Message}).", ex);
                }
            }

            info.Collect(response, fromHub: string.Equals(current.Authority, _options.Endpoint.Authority, StringComparison.OrdinalIgnoreCase));
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
            {
                return (response, info);
            }

            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                throw new ModelDownloadException($"{current} redirects without saying where to.");
            }

            if (hop + 1 > MaxRedirects)
            {
                throw new ModelDownloadException($"{address} redirects more than {MaxRedirects} times.");
            }

            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (next.Scheme != Uri.UriSchemeHttps && (next.Scheme != Uri.UriSchemeHttp || current.Scheme == Uri.UriSchemeHttps))
            {
                throw new ModelDownloadException($"{current} redirects to {next.GetLeftPart(UriPartial.Authority)}, which is not a safe address to follow.");
            }

            current = next;
        }
    }

    private static Exception Failure(FileJob job, HttpStatusCode status)
    {
        var code = (int)status;
        var text = $"HTTP {code}";
        return code switch
        {
            404 or 410 => new ModelDownloadException(
                $"{Describe(job)} is not on the server ({text} for {job.Address}). The repository may have moved or changed; check HF_ENDPOINT and the catalogue."),
            401 or 403 => new ModelDownloadException(
                $"{Describe(job)}: access denied ({text} for {job.Address}). The repository may be private or gated."),
            408 or 429 or >= 500 => new RetryableDownloadException($"the server answered {text}."),
            _ => new ModelDownloadException($"{Describe(job)}: unexpected answer {text} from {job.Address}."),
        };
    }

    private static void DeletePartial(FileJob job)
    {
        if (File.Exists(job.Partial))
        {
            File.Delete(job.Partial);
        }

        DownloadRecord.Delete(job.Record);
    }

    private static string Describe(FileJob job) => $"{job.File.Path} of {job.Entry.Repository}";

    /// <summary>The paths of one file's download.</summary>
    private sealed record FileJob(ModelCatalogueEntry Entry, CatalogueFile File, string Folder, Uri Address)
    {
        public string Target { get; } = Path.Combine(Folder, File.Path.Replace('/', Path.DirectorySeparatorChar));

        public string Partial => Target + ".partial";

        public string Record => DownloadRecord.PathFor(Folder, File.Path);
    }

    /// <summary>What the finished file must be: from the catalogue's pins first, then from the server.</summary>
    private sealed record Expectation(long? Size, string? Sha256, string Sha256Source, string? GitBlobSha1)
    {
        public static Expectation From(FileJob job, HttpResponseMessage response, RemoteFileInfo info)
        {
            var served = info.LinkedSize ?? (response.StatusCode switch
            {
                HttpStatusCode.OK => response.Content.Headers.ContentLength,
                HttpStatusCode.PartialContent => response.Content.Headers.ContentRange?.Length,
                HttpStatusCode.RequestedRangeNotSatisfiable => response.Content.Headers.ContentRange?.Length,
                _ => null,
            });
            if (job.File.Size is { } pinned && served is { } offered && pinned != offered)
            {
                throw new ModelDownloadException(
                    $"{Describe(job)}: the server offers {offered:N0} bytes but the catalogue expects {pinned:N0}; the repository changed upstream.");
            }

            if (job.File.Sha256 is { } pin && info.Sha256 is { } reported && !string.Equals(pin, reported, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelDownloadException(
                    $"{Describe(job)}: the server offers a file with SHA-256 {reported} but the catalogue pins {pin}; the repository changed upstream.");
            }

            return new Expectation(
                job.File.Size ?? served,
                job.File.Sha256?.ToLowerInvariant() ?? info.Sha256,
                job.File.Sha256 is not null ? "the catalogue" : "the hub (X-Linked-Etag)",
                job.File.Sha256 is null && info.Sha256 is null ? info.GitBlobSha1 : null);
        }

        public bool Matches(DownloadRecord record) =>
            record.Size == Size && record.Sha256 == Sha256 && record.GitBlobSha1 == GitBlobSha1;
    }
}
