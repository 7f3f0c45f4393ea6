using System.Net;

namespace RichScoring;

/// <summary>Host-name handling for the domain heuristics: normalization and suffix matching on label boundaries.</summary>
internal static class DomainName
{
    private static readonly System.Buffers.SearchValues<char> NotInHost = System.Buffers.SearchValues.Create("/:*?#@ \t");

    /// <summary>
    /// A candidate's host in canonical form (lower case, no trailing dot, no port), or <see langword="null"/> when
    /// empty. Taken from <see cref="ImageMetadata.SourceDomain"/>, else from a web <see cref="ImageMetadata.Source"/>.
    /// </summary>
    public static string? Of(ImageMetadata? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        var host = metadata.SourceDomain;
        if (string.IsNullOrWhiteSpace(host) && metadata.Source is { IsAbsoluteUri: true, IsFile: false } source)
        {
            host = source.Host;
        }

        return Canonical(host);
    }

    /// <summary>A configured domain in canonical form; accepts "example.com", ".example.com" and "*.example.com".</summary>
    /// <exception cref="ArgumentException">The entry is not a host name.</exception>
    public static string ParseEntry(string? entry, string listName, string paramName)
    {
        var trimmed = entry?.Trim() ?? string.Empty;
        if (trimmed.StartsWith("*.", StringComparison.Ordinal))
        {
            trimmed = trimmed[2..];
        }

        trimmed = trimmed.TrimStart('.');
        var canonical = Canonical(trimmed, keepPort: true);
        if (canonical is null || canonical.AsSpan().ContainsAny(NotInHost))
        {
            throw new ArgumentException(
                $"{nameof(HeuristicOptions)}.{listName}: '{entry}' is not a domain; give a host name such as 'example.com'.", paramName);
        }

        return canonical;
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or one of its subdomains (IP addresses: equal only).</summary>
    public static bool Matches(string host, string domain)
    {
        if (host.Length == domain.Length)
        {
            return string.Equals(host, domain, StringComparison.Ordinal);
        }

        return host.Length > domain.Length
            && host[host.Length - domain.Length - 1] == '.'
            && host.EndsWith(domain, StringComparison.Ordinal)
            && !IPAddress.TryParse(host, out _);
    }

    private static string? Canonical(string? host, bool keepPort = false)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var value = host.Trim().ToLowerInvariant();
        if (!keepPort)
        {
            // "example.com:8080" → "example.com"; IPv6 literals ("[::1]:80") keep their brackets.
            var colon = value.LastIndexOf(':');
            if (colon > 0 && value.IndexOf(':', StringComparison.Ordinal) == colon && !value.AsSpan(colon + 1).ContainsAnyExceptInRange('0', '9'))
            {
                value = value[..colon];
            }
        }

        value = value.TrimEnd('.');
        return value.Length == 0 ? null : value;
    }
}
