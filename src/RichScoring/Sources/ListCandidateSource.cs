using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// The entries of a list file: plain text with one path or URL a line (blank lines and lines starting with <c>#</c>
/// skipped), or JSON — an array of strings, or of objects with <c>url</c> or <c>path</c> and optionally <c>id</c>,
/// <c>width</c>, <c>height</c>, <c>title</c>, <c>license</c> (or <c>licence</c>), <c>license_url</c>, <c>creator</c>,
/// <c>creator_url</c>, <c>landing_page</c> and <c>thumbnail</c>. The file is JSON when its name ends in <c>.json</c> or
/// its first character is <c>[</c>.
/// </summary>
/// <remarks>
/// Relative paths are resolved against the list file's folder. http and https entries become web candidates (fetched
/// by the pipeline's fetcher); entries with another scheme are passed on and fail as their own candidates. An entry's
/// id is the one given, else the entry as written. The whole list is checked before the first candidate is returned:
/// a malformed entry throws a <see cref="FormatException"/> naming the file and the line.
/// </remarks>
public sealed partial class ListCandidateSource : ICandidateSource
{
    private readonly ILogger _logger;

    /// <summary>Creates a source over a list file.</summary>
    /// <param name="path">The list file (text or JSON).</param>
    /// <param name="logger">Where the listing is reported.</param>
    public ListCandidateSource(string path, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The list file, as a full path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">The list file does not exist.</exception>
    /// <exception cref="FormatException">An entry is malformed; the message names the line.</exception>
    public async IAsyncEnumerable<Candidate> GetCandidatesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        var folder = System.IO.Path.GetDirectoryName(Path) ?? Directory.GetCurrentDirectory();
        var candidates = Parse(bytes, folder, System.IO.Path.GetFileName(Path), IsJson(Path, bytes));
        SourceLog.ListRead(_logger, candidates.Count, Path);
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return candidate;
        }
    }

    /// <summary>Parses a list's content (text or JSON) into candidates.</summary>
    internal static List<Candidate> Parse(ReadOnlySpan<byte> content, string baseFolder, string fileName, bool json)
    {
        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        return json ? ParseJson(content, baseFolder, fileName) : ParseText(content, baseFolder, fileName);
    }

    private static bool IsJson(string path, ReadOnlySpan<byte> content)
    {
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (content.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            content = content[3..];
        }

        var start = content.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && content[start] == (byte)'[';
    }

    private static List<Candidate> ParseText(ReadOnlySpan<byte> content, string baseFolder, string fileName)
    {
        var text = System.Text.Encoding.UTF8.GetString(content);
        var candidates = new List<Candidate>();
        var number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            candidates.Add(Entry(line.ToString(), null, null, baseFolder, Where(fileName, number)));
        }

        return candidates;
    }

    private static List<Candidate> ParseJson(ReadOnlySpan<byte> content, string baseFolder, string fileName)
    {
        var candidates = new List<Candidate>();
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException($"{Where(fileName, LineOf(content, reader.TokenStartIndex))}: expected a JSON array of strings or objects.");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var where = Where(fileName, LineOf(content, reader.TokenStartIndex));
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        var value = reader.GetString()!.Trim();
                        if (value.Length == 0)
                        {
                            throw new FormatException($"{where}: the entry is an empty string.");
                        }

                        candidates.Add(Entry(value, null, null, baseFolder, where));
                        break;
                    case JsonTokenType.StartObject:
                        using (var document = JsonDocument.ParseValue(ref reader))
                        {
                            candidates.Add(ObjectEntry(document.RootElement, baseFolder, where));
                        }

                        break;
                    default:
                        throw new FormatException($"{where}: expected a string or an object, found {Describe(reader.TokenType)}.");
                }
            }
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } n ? (int)n + 1 : LineOf(content, reader.TokenStartIndex);
            throw new FormatException($"{Where(fileName, line)}: invalid JSON: {ex.Message}", ex);
        }

        return candidates;
    }

    private static Candidate ObjectEntry(JsonElement entry, string baseFolder, string where)
    {
        string? url = null, path = null, id = null;
        var metadata = new ImageMetadata();
        foreach (var property in entry.EnumerateObject())
        {
            var name = property.Name.Replace("_", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
            var value = property.Value;
            switch (name)
            {
                case "URL":
                    url = Text(value, property.Name, where);
                    break;
                case "PATH":
                    path = Text(value, property.Name, where);
                    break;
                case "ID":
                    id = Text(value, property.Name, where);
                    break;
                case "WIDTH":
                    metadata = metadata with { Width = Dimension(value, property.Name, where) };
                    break;
                case "HEIGHT":
                    metadata = metadata with { Height = Dimension(value, property.Name, where) };
                    break;
                case "TITLE":
                    metadata = metadata with { Title = Text(value, property.Name, where) };
                    break;
                case "LICENSE" or "LICENCE":
                    metadata = metadata with { License = Text(value, property.Name, where) };
                    break;
                case "LICENSEURL" or "LICENCEURL":
                    metadata = metadata with { LicenseUrl = Link(value, property.Name, where) };
                    break;
                case "CREATOR":
                    metadata = metadata with { Creator = Text(value, property.Name, where) };
                    break;
                case "CREATORURL":
                    metadata = metadata with { CreatorUrl = Link(value, property.Name, where) };
                    break;
                case "LANDINGPAGE" or "FOREIGNLANDINGURL":
                    metadata = metadata with { LandingPage = Link(value, property.Name, where) };
                    break;
                case "THUMBNAIL" or "THUMBNAILURL":
                    metadata = metadata with { ThumbnailUrl = Link(value, property.Name, where) };
                    break;
                default:
                    break; // other fields are the list author's own business
            }
        }

        if ((url is null) == (path is null))
        {
            throw new FormatException($"{where}: an entry object needs exactly one of \"url\" and \"path\".");
        }

        if (id is { Length: 0 })
        {
            throw new FormatException($"{where}: \"id\" is empty.");
        }

        return Entry(url ?? path!, id, metadata, baseFolder, where);
    }

    private static Candidate Entry(string text, string? id, ImageMetadata? metadata, string baseFolder, string where)
    {
        if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var web) || string.IsNullOrEmpty(web.Host))
            {
                throw new FormatException($"{where}: '{text}' is not a valid URL.");
            }

            return Candidate.FromUrl(web, id ?? text, metadata);
        }

        if (SchemePrefix().IsMatch(text))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var other))
            {
                throw new FormatException($"{where}: '{text}' is not a valid URL.");
            }

            if (!other.IsFile)
            {
                // Well formed but not fetchable: the pipeline fails this one candidate, naming the scheme.
                return Candidate.FromUrl(other, id ?? text, metadata);
            }

            return FileEntry(other.LocalPath, id ?? text, metadata);
        }

        if (text.AsSpan().IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            throw new FormatException($"{where}: '{text}' is not a valid path.");
        }

        return FileEntry(System.IO.Path.GetFullPath(System.IO.Path.Combine(baseFolder, text)), id ?? text, metadata);
    }

    private static Candidate FileEntry(string fullPath, string id, ImageMetadata? metadata)
    {
        var uri = new Uri(fullPath);
        return Candidate.FromStream(
            id,
            _ => ValueTask.FromResult<Stream>(new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)),
            (metadata ?? new ImageMetadata()) with { Source = uri });
    }

    private static string Text(JsonElement value, string name, string where) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : throw new FormatException($"{where}: \"{name}\" must be a string, found {Describe(value.ValueKind)}.");

    private static int Dimension(JsonElement value, string name, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n > 0
            ? n
            : throw new FormatException($"{where}: \"{name}\" must be a positive whole number, found {value.GetRawText()}.");

    private static Uri Link(JsonElement value, string name, string where)
    {
        var text = Text(value, name, where);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && !uri.IsFile
            ? uri
            : throw new FormatException($"{where}: \"{name}\" must be an absolute URL, found '{text}'.");
    }

    private static int LineOf(ReadOnlySpan<byte> content, long offset) =>
        content[..(int)Math.Min(offset, content.Length)].Count((byte)'\n') + 1;

    private static string Where(string fileName, int line) => string.Create(CultureInfo.InvariantCulture, $"{fileName} line {line}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString(),
    };

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex SchemePrefix();
}
