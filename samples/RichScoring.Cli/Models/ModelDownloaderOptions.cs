namespace RichScoring.Cli.Models;

/// <summary>Where and how <see cref="ModelDownloader"/> fetches.</summary>
internal sealed class ModelDownloaderOptions
{
    /// <summary>The hub, e.g. https://huggingface.co or a mirror (see <see cref="HubEndpoint"/>).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The folder holding one sub-folder per model (see <see cref="ModelCacheLocation"/>).</summary>
    public required string ModelsRoot { get; init; }

    /// <summary>The transport (tests inject one); its automatic redirects must be off. Null: a new SocketsHttpHandler.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Tries per file before giving up; each retry resumes where the last one stopped. Default 4.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The pause before retry n is n times this. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a connection may stay silent before it is dropped and resumed. Default 60 s.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
