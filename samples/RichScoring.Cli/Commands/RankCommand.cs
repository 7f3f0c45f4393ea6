using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RichScoring.Cli.Models;
using RichScoring.Cli.Output;
using RichScoring.Cli.Ranking;
using RichScoring.Http;
using RichScoring.Onnx;

namespace RichScoring.Cli.Commands;

/// <summary>
/// <c>richscore rank</c>: the main job. Candidates from a search, URLs, a list file, files or folders → fetch safely →
/// score with CLIP against positive and negative prompts → filter, deduplicate, diversify → results.json and a
/// self-contained gallery.html.
/// </summary>
internal static class RankCommand
{
    public static Command Create(ModelServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var model = new ModelSelectionOptions(services.Catalogue);
        var logits = new LogitOptions();
        var inputs = new Argument<string[]>("inputs") { Description = "Image files, folders and http(s) URLs.", Arity = ArgumentArity.ZeroOrMore };
        var search = new Option<string?>("--search", "-s") { Description = "Search Openverse (openly licensed images) for this query.", HelpName = "query" };
        var count = new Option<int>("--count") { Description = "How many search results to score.", DefaultValueFactory = _ => 24 };
        var list = new Option<string?>("--list") { Description = "A file of image URLs or paths: one per line, or a JSON array.", HelpName = "file" };
        var positive = new Option<string[]>("--positive", "-p") { Description = "A prompt describing a wanted image (repeatable). Default: the search query as a concept." };
        var negative = new Option<string[]>("--negative", "-n") { Description = "A prompt describing an unwanted look-alike (repeatable)." };
        var templates = new Option<string>("--template-set") { Description = "Templates for concept prompts: reference, one-photo, unwanted or none.", DefaultValueFactory = _ => "reference" };
        var top = new Option<int>("--top", "-k") { Description = "How many images to keep.", DefaultValueFactory = _ => 12 };
        var threshold = new Option<float?>("--threshold") { Description = "Drop candidates scoring below this (0..1 with negative prompts)." };
        var dedup = new Option<float?>("--dedup") { Description = "Near-duplicate similarity (cosine); 0 turns dedup off.", DefaultValueFactory = _ => 0.95f };
        var diversity = new Option<float?>("--diversity") { Description = "Diversify the top with MMR at this λ (1 = relevance only, 0 = variety only)." };
        var minSide = new Option<int>("--min-side") { Description = "Drop images whose shortest side is below this many pixels (0 = off).", DefaultValueFactory = _ => 200 };
        var maxAspect = new Option<double>("--max-aspect") { Description = "Drop images more elongated than this (long side / short side; 0 = off).", DefaultValueFactory = _ => 3.0 };
        var weights = new Option<string?>("--weights") { Description = "Weights of the score terms, e.g. clip=1,heuristics=0.1.", HelpName = "name=w,…" };
        var output = new Option<string>("--out", "-o") { Description = "Folder for results.json and gallery.html.", DefaultValueFactory = _ => "results" };
        var open = new Option<bool>("--open") { Description = "Open gallery.html when done." };
        var thumbnails = new Option<bool>("--thumbnails") { Description = "Score Openverse's thumbnails instead of the full images (faster, smaller)." };
        var openverse = new Option<string?>("--openverse-url") { Description = "Base URL of the Openverse API.", Hidden = true };
        var allowPrivate = new Option<bool>("--allow-private-networks") { Description = "Let URLs reach loopback and private addresses (off: the SSRF guard refuses them)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the embedding cache." };

        var command = new Command("rank", "Score, filter, deduplicate and rank candidate images; write results.json and gallery.html.");
        command.Arguments.Add(inputs);
        foreach (var option in new Option[] { search, count, list, positive, negative, templates, top, threshold, dedup, diversity, minSide, maxAspect, weights, output, open, thumbnails, openverse, allowPrivate, noCache })
        {
            command.Options.Add(option);
        }

        model.AddTo(command);
        logits.AddTo(command);
        command.SetAction((parse, ct) => CommandErrors.RunAsync(parse, async (stdout, stderr) =>
        {
            var settings = new RankSettings
            {
                Inputs = parse.GetValue(inputs) ?? [],
                ListFile = parse.GetValue(list),
                Search = parse.GetValue(search),
                Count = parse.GetValue(count),
                Positive = parse.GetValue(positive) ?? [],
                Negative = parse.GetValue(negative) ?? [],
                TemplateSet = parse.GetValue(templates) ?? "reference",
                Top = parse.GetValue(top),
                Threshold = parse.GetValue(threshold),
                Dedup = parse.GetValue(dedup) is { } e && e > 0 ? e : null,
                Diversity = parse.GetValue(diversity),
                MinSide = parse.GetValue(minSide),
                MaxAspect = parse.GetValue(maxAspect),
                Weights = RankSettings.ParseWeights(parse.GetValue(weights)),
                Out = parse.GetValue(output) ?? "results",
                Open = parse.GetValue(open),
                Thumbnails = parse.GetValue(thumbnails),
                OpenverseUrl = parse.GetValue(openverse) is { } baseUrl
                    ? Uri.TryCreate(baseUrl, UriKind.Absolute, out var parsed) ? parsed : throw new ArgumentException($"--openverse-url: '{baseUrl}' is not an absolute URL.")
                    : null,
                AllowPrivateNetworks = parse.GetValue(allowPrivate),
                UseCache = !parse.GetValue(noCache),
                LogitScale = parse.GetValue(logits.Scale),
                LogitBias = parse.GetValue(logits.Bias),
            };
            var query = Query(settings);
            if (settings.Inputs.Count == 0 && settings.ListFile is null && settings.Search is null)
            {
                throw new ArgumentException("Nothing to rank: give --search, --list, or image files, folders or URLs.");
            }

            var resolved = await model.ResolveAsync(parse, services, stderr, ct).ConfigureAwait(false);

            // The pipeline is built (and the model folder checked) before any search or download of candidates, so a
            // model that cannot score fails fast.
            using var fetcher = new HttpCandidateFetcher(new HttpFetchOptions { AllowPrivateNetworks = settings.AllowPrivateNetworks });
            var recording = new RecordingFetcher(fetcher);
            using var pipeline = Build(settings, resolved, recording, services);

            var candidates = await CandidateGatherer.GatherAsync(settings, stderr, ct).ConfigureAwait(false);
            await stderr.WriteLineAsync($"scoring {candidates.Count} candidates with {resolved.Name}…").ConfigureAwait(false);
            var result = await StageProgressDisplay.RunAsync(stderr, progress => pipeline.ScoreAsync(candidates, query, progress, ct)).ConfigureAwait(false);

            var folder = Path.GetFullPath(settings.Out);
            Directory.CreateDirectory(folder);
            var document = ResultsDocument.From(result, settings.Describe(resolved.Name), "richscore", DateTimeOffset.UtcNow);
            await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), document.ToJson(), ct).ConfigureAwait(false);
            var thumbs = await ThumbnailsAsync(result, recording, ct).ConfigureAwait(false);
            var title = settings.Search is { } q ? $"richscore: {q}" : "richscore results";
            var galleryPath = Path.Combine(folder, "gallery.html");
            await File.WriteAllTextAsync(galleryPath, GalleryWriter.Render(result, thumbs, title), ct).ConfigureAwait(false);

            await PrintSummaryAsync(stdout, result, galleryPath).ConfigureAwait(false);
            if (settings.Open)
            {
                OpenInBrowser(galleryPath, stderr);
            }

            return 0;
        }, ct));
        return command;
    }

    private static ScoringQuery Query(RankSettings settings)
    {
        var templates = settings.TemplateSet switch
        {
            "reference" => PromptTemplateSet.Default,
            "one-photo" => PromptTemplateSet.OnePhoto,
            "unwanted" => PromptTemplateSet.Unwanted,
            "none" => null,
            _ => throw new ArgumentException($"--template-set: unknown set '{settings.TemplateSet}'; use reference, one-photo, unwanted or none."),
        };
        var positives = settings.Positive.Select(Prompt.Text).ToList();
        if (positives.Count == 0 && settings.Search is { } concept)
        {
            positives.Add(templates is null ? Prompt.Text(concept) : Prompt.Concept(concept, templates));
        }

        if (positives.Count == 0)
        {
            throw new ArgumentException("No positive prompt: give --positive \"a photo of a duck\" (or --search duck, which uses the query).");
        }

        return new ScoringQuery(positives, settings.Negative.Select(Prompt.Text));
    }

    private static ScoringPipeline Build(RankSettings settings, ResolvedModel model, ICandidateFetcher fetcher, ModelServices services)
    {
        try
        {
            return CreateBuilder(settings, model, fetcher, services).Build();
        }
        catch (ModelFolderException ex) when (LogitOptions.MissingLogitsMessage(ex, settings.LogitScale, settings.LogitBias) is { } message)
        {
            // A SigLIP split export without its learned scale and bias: say how to pass them on the command line.
            throw new ModelFolderException(message, ex) { Folder = ex.Folder };
        }
    }

    private static ScoringPipelineBuilder CreateBuilder(RankSettings settings, ResolvedModel model, ICandidateFetcher fetcher, ModelServices services)
    {
        var builder = new ScoringPipelineBuilder()
            .UseClip(model.Folder, model.CreateOnnxOptions(settings.LogitScale, settings.LogitBias))
            .UseFetcher(fetcher)
            .TopK(settings.Top)
            .MinShortestSide(settings.MinSide, settings.MinSide > 0 ? HeuristicMode.Filter : HeuristicMode.Off)
            .MaxAspectRatio(settings.MaxAspect > 0 ? settings.MaxAspect : 3, settings.MaxAspect > 0 ? HeuristicMode.Filter : HeuristicMode.Off);
        if (settings.Threshold is { } t)
        {
            builder.Threshold(t);
        }

        if (settings.Dedup is { } epsilon)
        {
            builder.Deduplicate(epsilon);
        }

        if (settings.Diversity is { } lambda)
        {
            builder.Diversify(lambda);
        }

        foreach (var (name, weight) in settings.Weights)
        {
            builder.WithWeight(name, weight);
        }

        if (settings.UseCache && services.EmbeddingCacheRoot is { } root)
        {
            // Memory in front of a folder: a rerun over the same images and prompts embeds nothing again.
            builder.UseEmbeddingCache(new TieredEmbeddingCache(new MemoryEmbeddingCache(), new DirectoryEmbeddingCache(root)));
        }

        return builder;
    }

    private static async Task<Dictionary<string, string?>> ThumbnailsAsync(ScoringResult result, RecordingFetcher fetched, CancellationToken cancellationToken)
    {
        var thumbs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var o in result.Outcomes)
        {
            if (o.Status == CandidateStatus.Failed || thumbs.ContainsKey(o.Candidate.Id))
            {
                continue;
            }

            var c = o.Candidate;
            ReadOnlyMemory<byte>? bytes = c.Content;
            if (bytes is null && c.Source is { IsFile: true } file && File.Exists(file.LocalPath))
            {
                bytes = await File.ReadAllBytesAsync(file.LocalPath, cancellationToken).ConfigureAwait(false);
            }
            else if (bytes is null && c.Source is { } url)
            {
                bytes = fetched.Get(url);
            }

            thumbs[c.Id] = bytes is { } b ? Output.Thumbnails.DataUri(b) : null;
        }

        return thumbs;
    }

    private static async Task PrintSummaryAsync(TextWriter stdout, ScoringResult result, string galleryPath)
    {
        foreach (var o in result.Ranked)
        {
            var best = o.Breakdown?.BestPositive?.Prompt;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{o.Rank,3}. {o.Score,7:0.000}{(o.BelowThreshold ? " (below threshold)" : "")}  {o.Candidate.Id}{(best is null ? "" : $"  [{best}]")}")).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{result.Outcomes.Count} candidates: {result.Ranked.Count} ranked, {result.FilteredCount} filtered, {result.FailedCount} failed in {result.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        foreach (var w in result.Warnings)
        {
            await stdout.WriteLineAsync("note: " + w).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync("gallery: " + galleryPath).ConfigureAwait(false);
    }

    private static void OpenInBrowser(string path, TextWriter error)
    {
        try
        {
            var opener = OperatingSystem.IsWindows() ? "explorer" : OperatingSystem.IsMacOS() ? "open" : "xdg-open";
            using var process = Process.Start(new ProcessStartInfo(opener, path) { UseShellExecute = false });
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            error.WriteLine($"could not open the gallery ({ex.Message}); it is at {path}");
        }
    }
}
