namespace RichScoring.Cli.Models;

/// <summary>
/// The Hugging Face hub to download from: <c>HF_ENDPOINT</c> when set (a mirror, or a loopback hub in tests), as the
/// Python tools do, else <c>https://huggingface.co</c>.
/// </summary>
internal static class HubEndpoint
{
    public const string Variable = "HF_ENDPOINT";

    public static readonly Uri Default = new("https://huggingface.co");

    /// <exception cref="ModelDownloadException">HF_ENDPOINT is not an absolute http(s) address.</exception>
    public static Uri FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var text = getEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(text) ? Default : Parse(text);
    }

    /// <exception cref="ModelDownloadException">The text is not an absolute http(s) address.</exception>
    public static Uri Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new ModelDownloadException($"{Variable} must be an http(s) address such as https://huggingface.co; it is '{text}'.");
        }

        return uri;
    }

    /// <summary>The address of a file: <c>{endpoint}/{repo}/resolve/{revision}/{path}</c>, each part escaped.</summary>
    public static Uri FileAddress(Uri endpoint, string repository, string revision, string path)
    {
        var repo = string.Join('/', repository.Split('/').Select(Uri.EscapeDataString));
        var file = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        // A revision such as refs/pr/1 is one segment for the hub, so its slashes are escaped too.
        return new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/{repo}/resolve/{Uri.EscapeDataString(revision)}/{file}");
    }
}
