using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RichScoring;

/// <summary>
/// The whole job for one query: acquire → identify → heuristics → embed → score → threshold → rank → dedup /
/// diversify → rerank → top-K. Every candidate leaves with exactly one <see cref="CandidateOutcome"/>; a bad candidate
/// never throws out of <see cref="ScoreAsync"/> and never takes others down.
/// </summary>
/// <remarks>
/// Build one with <see cref="ScoringPipelineBuilder"/> or <c>services.AddRichScoring(…)</c>. Thread-safe: one instance
/// serves concurrent calls. Disposing it releases the models it loaded itself (not encoders passed in).
/// </remarks>
public sealed class ScoringPipeline : IDisposable
{
    private readonly ScoringPipelineParts _parts;
    private readonly ScoringPipelineOptions _options;
    private readonly ILogger _logger;
    private readonly QueryEncoder _queries;
    private readonly IImageIdentifier? _identifier;

    internal ScoringPipeline(ScoringPipelineParts parts, ScoringPipelineOptions options, ILoggerFactory? loggerFactory)
    {
        _parts = parts;
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ScoringPipeline>();
        _queries = new QueryEncoder(parts.TextEncoder);
        _identifier = parts.ImageEncoder.GetService(typeof(IImageIdentifier)) as IImageIdentifier;
    }

    /// <summary>Releases the models the pipeline loaded (through <c>UseClip</c> or an encoder factory).</summary>
    public void Dispose() => _parts.Owner?.Dispose();

    /// <summary>The query used when <see cref="ScoreAsync"/> is given none.</summary>
    public ScoringQuery? DefaultQuery => _parts.DefaultQuery;

    /// <summary>The pipeline's options (a copy: changing it has no effect).</summary>
    public ScoringPipelineOptions Options => _options.Clone();

    /// <summary>The text encoder (wrapped in the prompt cache).</summary>
    public ITextEncoder TextEncoder => _parts.TextEncoder;

    /// <summary>The image encoder (wrapped in the embedding cache).</summary>
    public IImageEncoder ImageEncoder => _parts.ImageEncoder;

    /// <summary>Scores, filters, deduplicates and ranks candidates.</summary>
    /// <param name="candidates">The candidates; ids must be unique (a repeated id fails that candidate).</param>
    /// <param name="query">The prompts; <see cref="DefaultQuery"/> when null.</param>
    /// <param name="progress">Receives per-stage counts.</param>
    /// <param name="cancellationToken">Cancels the call (the only exception it throws besides argument errors).</param>
    /// <returns>Every candidate's outcome and the ranked list.</returns>
    public async Task<ScoringResult> ScoreAsync(
        IEnumerable<Candidate> candidates,
        ScoringQuery? query = null,
        IProgress<ScoringProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        query ??= DefaultQuery ?? throw new ArgumentException(
            "No query: this pipeline was built without positive prompts (WithPositive), so every ScoreAsync call must pass a ScoringQuery.",
            nameof(query));
        var clock = Stopwatch.StartNew();
        using var activity = RichScoringTelemetry.Source.StartActivity("richscoring.pipeline"); // the stages nest inside: richscoring.acquire, …
        var run = new PipelineRun([.. candidates], progress);
        activity?.SetTag("richscoring.candidates", run.Count);
        Log.Started(_logger, run.Count, query.Positive.Count, query.Negative.Count);

        run.FailDuplicateIds();
        if (_parts.UsesDefaultClipScorer && query.Negative.Count == 0)
        {
            run.Warnings.Add(DefaultClipScorer.NoNegativesWarning);
        }

        await StageAsync("acquire", run, () => AcquireAsync(run, cancellationToken)).ConfigureAwait(false);
        await StageAsync("identify", run, () => Task.Run(() => Identify(run, cancellationToken), cancellationToken)).ConfigureAwait(false);
        var encodedQuery = await StageAsync("query", run, () => _queries.EncodeAsync(query, cancellationToken)).ConfigureAwait(false);
        run.Warnings.AddRange(encodedQuery.Warnings);
        var embedded = await StageAsync("embed", run, () => EmbedAsync(run, cancellationToken)).ConfigureAwait(false);
        var ranked = await StageAsync("score", run, () => ScoreAndRankAsync(run, encodedQuery, embedded, cancellationToken)).ConfigureAwait(false);
        ranked = await StageAsync("dedup", run, () => DeduplicateAsync(run, ranked, embedded, cancellationToken)).ConfigureAwait(false);
        ranked = await StageAsync("rerank", run, () => RerankAsync(run, query, ranked, cancellationToken)).ConfigureAwait(false);
        Finish(run, ranked);

        var outcomes = run.Outcomes();
        foreach (var o in outcomes)
        {
            RichScoringTelemetry.Candidates.Add(1, new("outcome", o.Status.ToString().ToLowerInvariant()), new("stage", o.Stage ?? "ranked"));
        }

        var result = new ScoringResult(query, outcomes, clock.Elapsed, run.Warnings);
        if (result.IsZeroResult)
        {
            RichScoringTelemetry.ZeroResults.Add(1);
        }

        progress?.Report(new ScoringProgress("done", run.Count, run.Count));
        Log.Finished(_logger, result.Ranked.Count, result.FilteredCount, result.FailedCount, clock.ElapsedMilliseconds);
        return result;
    }

    private async Task<T> StageAsync<T>(string stage, PipelineRun run, Func<Task<T>> body)
    {
        using var activity = RichScoringTelemetry.Source.StartActivity("richscoring." + stage);
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await body().ConfigureAwait(false);
        }
        finally
        {
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            RichScoringTelemetry.StageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", stage));
            activity?.SetTag("richscoring.active", run.ActiveCount);
            Log.StageDone(_logger, stage, run.ActiveCount, seconds * 1000);
        }
    }

    private Task<bool> StageAsync(string stage, PipelineRun run, Func<Task> body) =>
        StageAsync(stage, run, async () =>
        {
            await body().ConfigureAwait(false);
            return true;
        });

    private async Task AcquireAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var done = 0;
        var total = run.ActiveCount;
        await Parallel.ForEachAsync(run.Active(), new ParallelOptions { MaxDegreeOfParallelism = _options.AcquireParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var candidate = run.Candidates[i];
            try
            {
                run.Bytes[i] = await ReadAsync(candidate, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // A fetcher's messages are written for the user ("refused: 10.0.0.1 is a private address"); local reads
                // get context ("could not be read: Could not find file …").
                var web = candidate.Content is null && !candidate.HasStream;
                run.Fail(i, "acquire", ex is InvalidImageException || web ? ex.Message : $"could not be read: {ex.Message}", ex);
            }

            run.Report("acquire", Interlocked.Increment(ref done), total);
        }).ConfigureAwait(false);
    }

    private async Task<ReadOnlyMemory<byte>> ReadAsync(Candidate candidate, CancellationToken cancellationToken)
    {
        if (candidate.Content is { } content)
        {
            return content;
        }

        if (candidate.HasStream)
        {
            var stream = await candidate.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await BoundedRead.ReadAsync(stream, _options.MaxImageBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        if (candidate.Source is { IsAbsoluteUri: true } uri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var fetcher = _parts.Fetcher ?? throw new InvalidOperationException("no fetcher is configured for web URLs (add one with UseFetcher)");
            return await fetcher.FetchAsync(uri, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException(candidate.Source is null ? "the candidate has no content and no source" : $"unsupported source '{candidate.Source}'");
    }

    private void Identify(PipelineRun run, CancellationToken cancellationToken)
    {
        var done = 0;
        var total = run.ActiveCount;
        foreach (var i in run.Active())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var known = run.Candidates[i].Metadata;
            var metadata = known with { ByteLength = run.Bytes[i].Length };
            if (_identifier is not null)
            {
                try
                {
                    var found = _identifier.Identify(run.Bytes[i]);
                    metadata = metadata with { Width = found.Width, Height = found.Height, Format = found.Format };
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    // An invalid image says why in words for the user; anything else the identifier throws (a decoder
                    // bug, an exhausted resource) fails this candidate only, with context, as the acquire step does.
                    run.Fail(i, "identify", ex is InvalidImageException ? ex.Message : $"could not be identified: {ex.Message}", ex);
                    run.Report("identify", ++done, total);
                    continue;
                }
            }

            run.Metadata[i] = metadata;
            if (_parts.PreFilter?.Invoke(metadata) is { } reason)
            {
                run.Filter(i, "heuristics", reason);
            }

            run.Report("identify", ++done, total);
        }
    }

    private async Task<EmbeddingBatch?> EmbedAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var active = run.Active().ToList();
        EmbeddingBatch? all = null;
        var batchSize = _options.EmbedBatchSize;
        for (var start = 0; start < active.Count; start += batchSize)
        {
            var slice = active.GetRange(start, Math.Min(batchSize, active.Count - start));
            var inputs = slice.Select(i => new ImageInput(run.Candidates[i].Id, run.Bytes[i])).ToList();
            ImageEncodingResult encoded;
            try
            {
                encoded = await _parts.ImageEncoder.EncodeAsync(inputs, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // The encoder itself broke (not one image): fail this batch, keep going with the next.
                foreach (var i in slice)
                {
                    run.Fail(i, "embed", $"the image encoder failed: {ex.Message}", ex);
                }

                continue;
            }

            all ??= EmbeddingBatch.Create(run.Count, encoded.Embeddings.Dimension, encoded.Embeddings.ModelId);
            for (var k = 0; k < slice.Count; k++)
            {
                if (encoded.GetError(k) is { } error)
                {
                    run.Fail(slice[k], "embed", error.Message, error);
                }
                else
                {
                    encoded.Embeddings.GetRow(k).CopyTo(all.GetRow(slice[k]));
                }
            }

            run.Report("embed", Math.Min(start + batchSize, active.Count), active.Count);
        }

        return all?.Normalize();
    }

    private async Task<List<Scored>> ScoreAndRankAsync(PipelineRun run, EncodedQuery query, EmbeddingBatch? embedded, CancellationToken cancellationToken)
    {
        var active = run.Active().ToArray();
        if (active.Length == 0 || embedded is null)
        {
            return [];
        }

        var images = embedded.Select(active);
        var request = new ScoringRequest(query, images, [.. active.Select(i => run.Candidates[i].Id)], [.. active.Select(i => run.Metadata[i])]);
        var scores = await _parts.Scorer.ScoreAsync(request, cancellationToken).ConfigureAwait(false);
        var passed = new List<Scored>();
        var below = new List<Scored>();
        for (var k = 0; k < active.Length; k++)
        {
            var i = active[k];
            var scored = new Scored(i, scores.Values[k], scores.Breakdowns[k]);
            run.Scores[i] = scored;
            if (scored.Breakdown.RejectionReason is { } reason)
            {
                run.Filter(i, "score", reason);
            }
            else if (_options.Threshold is { } threshold && !(scored.Score >= threshold))
            {
                below.Add(scored);
            }
            else
            {
                passed.Add(scored);
            }
        }

        run.Report("score", active.Length, active.Length);
        var byRank = Comparer<Scored>.Create((a, b) =>
        {
            var c = b.Score.CompareTo(a.Score); // NaN sorts last: CompareTo puts NaN below every number
            return c != 0 ? c : string.CompareOrdinal(run.Candidates[a.Index].Id, run.Candidates[b.Index].Id);
        });
        passed.Sort(byRank);
        below.Sort(byRank);

        if (passed.Count == 0 && below.Count > 0 && _options.ZeroResultFallback)
        {
            // Nothing passed: show the best anyway, flagged, rather than an empty page. All of them go on through
            // dedup so that near-copies do not use up the top K; Finish cuts the list and words the warning.
            return [.. below.Select(s => s with { BelowThreshold = true })];
        }

        foreach (var s in below)
        {
            run.Filter(s.Index, "threshold", ThresholdReason(s.Score));
        }

        return passed;
    }

    private string ThresholdReason(float score) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"score {score:0.###} < threshold {_options.Threshold:0.###}");

    private async Task<List<Scored>> DeduplicateAsync(PipelineRun run, List<Scored> ranked, EmbeddingBatch? embedded, CancellationToken cancellationToken)
    {
        if (embedded is null || ranked.Count < 2 || (_parts.Deduplicator is null && _parts.Diversifier is null))
        {
            return ranked;
        }

        if (_parts.Deduplicator is { } dedup)
        {
            var result = await dedup.DeduplicateAsync(Request(run, ranked, embedded), cancellationToken).ConfigureAwait(false);
            foreach (var removal in result.Removed)
            {
                var i = ranked[removal.Index].Index;
                run.Filter(i, "dedup", removal.Reason, duplicateOf: run.Candidates[ranked[removal.DuplicateOfIndex].Index].Id);
            }

            ranked = [.. result.Kept.Select(k => ranked[k])];
        }

        if (_parts.Diversifier is { } diversifier && ranked.Count > 1)
        {
            var result = await diversifier.DeduplicateAsync(Request(run, ranked, embedded), cancellationToken).ConfigureAwait(false);
            foreach (var removal in result.Removed)
            {
                run.Filter(ranked[removal.Index].Index, "diversity", removal.Reason);
            }

            // The selected ones first (in selection order), then the rest in rank order; top-K cuts later.
            ranked = [.. result.Kept.Select(k => ranked[k])];
        }

        run.Report("dedup", ranked.Count, ranked.Count);
        return ranked;
    }

    private static DeduplicationRequest Request(PipelineRun run, List<Scored> ranked, EmbeddingBatch embedded) =>
        new([.. ranked.Select(s => run.Candidates[s.Index].Id)],
            [.. ranked.Select(s => s.Score)],
            embedded.Select([.. ranked.Select(s => s.Index)]),
            [.. ranked.Select(s => (ImageMetadata?)run.Metadata[s.Index])]);

    private async Task<List<Scored>> RerankAsync(PipelineRun run, ScoringQuery query, List<Scored> ranked, CancellationToken cancellationToken)
    {
        if (_parts.Reranker is not { } reranker || ranked.Count == 0)
        {
            return ranked;
        }

        var top = ranked.Take(_options.RerankTopN).ToList();
        IReadOnlyList<RerankScore> judged;
        try
        {
            var request = new RerankRequest(query, [.. top.Select(s => new RerankCandidate(new ImageInput(run.Candidates[s.Index].Id, run.Bytes[s.Index]), s.Score))]);
            judged = await reranker.RerankAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A failing second opinion leaves the first-pass ranking as it is.
            run.Warnings.Add($"The reranker failed; the first-pass ranking stands: {ex.Message}");
            Log.RerankFailed(_logger, ex);
            return ranked;
        }

        var byId = judged.Where(j => j is not null).GroupBy(j => j.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rescored = top.Select(s =>
            byId.TryGetValue(run.Candidates[s.Index].Id, out var r) && float.IsFinite(r.Score)
                ? s with { Score = s.Score + (_options.RerankWeight * Math.Clamp(r.Score, 0f, 1f)), Rerank = r }
                : s).ToList();
        rescored.Sort((a, b) =>
        {
            var c = b.Score.CompareTo(a.Score);
            return c != 0 ? c : string.CompareOrdinal(run.Candidates[a.Index].Id, run.Candidates[b.Index].Id);
        });
        run.Report("rerank", top.Count, top.Count);
        return [.. rescored, .. ranked.Skip(top.Count)];
    }

    private void Finish(PipelineRun run, List<Scored> ranked)
    {
        if (ranked.Count > 0 && ranked[0].BelowThreshold)
        {
            run.Warnings.Add(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"No candidate reached the threshold {_options.Threshold:0.###}; showing the best {Math.Min(_options.TopK, ranked.Count)} below it."));
        }

        for (var r = 0; r < ranked.Count; r++)
        {
            var s = ranked[r];
            if (r < _options.TopK)
            {
                run.Rank(s.Index, r + 1, s);
            }
            else if (s.BelowThreshold)
            {
                // Shown only as the zero-result fallback: beyond the top K, the threshold is the real reason.
                run.Filter(s.Index, "threshold", ThresholdReason(s.Score));
            }
            else
            {
                run.Filter(s.Index, "top-k", $"rank {r + 1} is beyond the top {_options.TopK}");
            }
        }
    }
}
