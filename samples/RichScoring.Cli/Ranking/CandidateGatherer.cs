using RichScoring.Http;

namespace RichScoring.Cli.Ranking;

/// <summary>Turns the command's inputs — files, folders, URLs, a list file and an Openverse search — into candidates.</summary>
internal static class CandidateGatherer
{
    public static async Task<List<Candidate>> GatherAsync(RankSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        var sources = new List<ICandidateSource>();
        var direct = new List<Candidate>();
        foreach (var input in settings.Inputs)
        {
            if (Uri.TryCreate(input, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                direct.Add(Candidate.FromUrl(uri));
            }
            else if (Directory.Exists(input))
            {
                sources.Add(new FolderCandidateSource(input));
            }
            else if (File.Exists(input))
            {
                direct.Add(Candidate.FromFile(input));
            }
            else
            {
                throw new FileNotFoundException($"'{input}' is not a file, a folder or an http(s) URL.", input);
            }
        }

        if (settings.ListFile is { } list)
        {
            sources.Add(new ListCandidateSource(list));
        }

        using var openverse = settings.Search is null ? null : new OpenverseSourceFactory(new OpenverseOptions
        {
            BaseUrl = settings.OpenverseUrl ?? new OpenverseOptions().BaseUrl,
            Count = settings.Count,
            UseThumbnails = settings.Thumbnails,
        });
        if (openverse is not null)
        {
            await error.WriteLineAsync($"searching Openverse for \"{settings.Search}\" (top {settings.Count})…").ConfigureAwait(false);
            sources.Add(openverse.Create(settings.Search!, settings.Count));
        }

        var all = new List<Candidate>(direct);
        foreach (var source in sources)
        {
            await foreach (var candidate in source.GetCandidatesAsync(cancellationToken).ConfigureAwait(false))
            {
                all.Add(candidate);
            }
        }

        return all;
    }
}
