using System.Runtime.CompilerServices;
using System.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// The image files of a folder (optionally its subfolders too), chosen by extension and listed in ordinal order of
/// their relative paths, so that two listings of the same folder agree. A candidate's id is its path relative to the
/// folder, with <c>/</c> separators.
/// </summary>
/// <remarks>
/// Names starting with a dot (hidden files, macOS <c>._</c> companions) are skipped, and symbolic links to folders are
/// not followed (no loops). A subfolder that cannot be read is skipped with a warning; an unreadable file is still
/// listed and fails as its own candidate when the pipeline reads it.
/// </remarks>
public sealed class FolderCandidateSource : ICandidateSource
{
    private readonly HashSet<string> _extensions;
    private readonly ILogger _logger;

    /// <summary>Creates a source over <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder; relative paths are taken from the current directory.</param>
    /// <param name="recursive">Whether to list subfolders too. Default false.</param>
    /// <param name="extensions">File extensions to take (with or without the dot, any case); default <see cref="DefaultExtensions"/>.</param>
    /// <param name="logger">Where skipped folders are reported.</param>
    public FolderCandidateSource(string folder, bool recursive = false, IEnumerable<string>? extensions = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        Recursive = recursive;
        _extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var extension in extensions ?? DefaultExtensions)
        {
            if (string.IsNullOrWhiteSpace(extension))
            {
                throw new ArgumentException("An extension is empty.", nameof(extensions));
            }

            var trimmed = extension.Trim();
            _extensions.Add(trimmed.StartsWith('.') ? trimmed : "." + trimmed);
        }

        if (_extensions.Count == 0)
        {
            throw new ArgumentException("At least one file extension is needed.", nameof(extensions));
        }

        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The extensions taken by default: the formats the image decoders read.</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"];

    /// <summary>The folder, as a full path.</summary>
    public string Folder { get; }

    /// <summary>Whether subfolders are listed too.</summary>
    public bool Recursive { get; }

    /// <inheritdoc />
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder itself cannot be read.</exception>
    public async IAsyncEnumerable<Candidate> GetCandidatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Listing is synchronous file-system work; hop off the caller's context so a UI thread does not wait on a disk.
        var files = await Task.Run(() => List(cancellationToken), cancellationToken).ConfigureAwait(false);
        SourceLog.FolderListed(_logger, files.Count, Folder);
        foreach (var (relative, full) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Candidate.FromFile(full, relative);
        }
    }

    private List<(string Relative, string Full)> List(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            throw new DirectoryNotFoundException($"The candidate folder '{Folder}' does not exist.");
        }

        var found = new List<(string Relative, string Full)>();
        var pending = new Stack<string>();
        pending.Push(Folder);
        while (pending.TryPop(out var directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
                {
                    if (entry.Name.StartsWith('.'))
                    {
                        continue;
                    }

                    if (entry is DirectoryInfo sub)
                    {
                        if (Recursive && !sub.Attributes.HasFlag(FileAttributes.ReparsePoint))
                        {
                            pending.Push(sub.FullName);
                        }
                    }
                    else if (_extensions.Contains(entry.Extension))
                    {
                        found.Add((Path.GetRelativePath(Folder, entry.FullName).Replace(Path.DirectorySeparatorChar, '/'), entry.FullName));
                    }
                }
            }
            catch (Exception ex) when (directory != Folder && ex is UnauthorizedAccessException or IOException or SecurityException)
            {
                // One unreadable subfolder must not cost the whole listing.
                SourceLog.FolderSkipped(_logger, directory, ex.Message);
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return found;
    }
}
