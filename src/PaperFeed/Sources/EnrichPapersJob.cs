using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Sources;

/// <summary>
/// Completes papers that came without arXiv's metadata (HF gives no categories, comments or journal refs)
/// from the arXiv API by id, in polite batches through <see cref="SourceRunner.QueryArxivApiAsync"/> (throttle, health); looks up papers that came without an
/// arXiv id (a copied papers page, a feed) by their exact title, so they get authors, an abstract and a link out; then
/// re-reads watched papers not checked for <see cref="SourcesOptions.WatchRecheckHours"/>, so their watchers hear of a
/// new version, comment or journal reference.
/// </summary>
public sealed class EnrichPapersJob(CatalogDbContext db, SourceRunner runner, PaperIngestor ingestor, PaperAdmin admin,
    TimeProvider time, IOptions<SourcesOptions> options, ILogger<EnrichPapersJob> logger)
{
    public const string SourceName = SourceRunner.ArxivApiSourceName;
    private const int MaxBatchesPerRun = 20;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var size = options.Value.EnrichBatchSize;
        var sourceId = await runner.ArxivApiSourceAsync(ct);
        var done = 0;
        long afterId = 0;
        var batch = 0;
        for (; batch < MaxBatchesPerRun; batch++)
        {
            // Papers arXiv has not described yet, oldest first; keyset on the id so a paper arXiv does not know is not asked again this run.
            var ids = await db.Papers.AsNoTracking()
                .Where(p => p.ArxivId != null && !p.MetadataFromArxiv && p.Id > afterId)
                .OrderBy(p => p.Id).Take(size).Select(p => new { p.Id, p.ArxivId }).ToListAsync(ct);
            if (ids.Count == 0) break;
            afterId = ids[^1].Id;

            if (await ReadAsync(sourceId, [.. ids.Select(i => i.ArxivId!)], ct) is not { } read) return done;
            done += read;
        }
        // Watched papers arXiv described already, not re-read for a while: the same polite batches, within the same budget.
        var due = time.GetUtcNow().UtcDateTime.AddHours(-options.Value.WatchRecheckHours);
        afterId = 0;
        for (; batch < MaxBatchesPerRun; batch++)
        {
            var ids = await db.Papers.AsNoTracking()
                .Where(p => p.ArxivId != null && p.MetadataFromArxiv && p.Id > afterId && !p.Hidden
                    && db.PaperWatches.Any(w => w.PaperId == p.Id && (w.CheckedAt == null || w.CheckedAt < due)))
                .OrderBy(p => p.Id).Take(size).Select(p => new { p.Id, p.ArxivId }).ToListAsync(ct);
            if (ids.Count == 0) break;
            afterId = ids[^1].Id;
            if (await ReadAsync(sourceId, [.. ids.Select(i => i.ArxivId!)], ct) is not { } read) break;
            done += read;
            var paperIds = ids.Select(i => i.Id).ToList();
            var now = time.GetUtcNow().UtcDateTime;
            await db.PaperWatches.Where(w => paperIds.Contains(w.PaperId)).ExecuteUpdateAsync(s => s.SetProperty(w => w.CheckedAt, now), ct);
        }
        return done + await LookUpTitlesAsync(sourceId, ct);
    }

    /// <summary>
    /// Papers without an arXiv id, asked for by exact title (<c>ti:"…"</c>, a few titles per request, OR-ed). A result
    /// whose normalised title equals the paper's is its arXiv record: ingested through the one path, which merges it into
    /// the title-keyed paper (or, when that arXiv paper is already in the catalog, the two are merged as an administrator
    /// would). Every paper asked is stamped, found or not, so a title arXiv does not know is not asked again each run.
    /// </summary>
    private async Task<int> LookUpTitlesAsync(int sourceId, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var askAgainBefore = now.AddDays(-o.TitleLookupRetryDays);
        var found = 0;
        for (var request = 0; request < o.TitleLookupRequestsPerRun; request++)
        {
            var papers = await db.Papers.AsNoTracking()
                .Where(p => p.ArxivId == null && !p.Hidden && (p.ArxivTitleLookupAt == null || p.ArxivTitleLookupAt < askAgainBefore))
                .OrderBy(p => p.ArxivTitleLookupAt != null).ThenBy(p => p.Id).Take(o.TitleLookupBatchSize)
                .Select(p => new { p.Id, p.NormalizedTitle }).ToListAsync(ct);
            if (papers.Count == 0) break;

            var query = string.Join(" OR ", papers.Select(p => $"ti:\"{p.NormalizedTitle}\""));
            ParseResult parsed;
            try
            {
                parsed = await runner.QueryArxivApiAsync($"search_query={Uri.EscapeDataString(query)}&max_results={papers.Count * 3}", ct);
            }
            catch (Exception ex) when (ex is FetchException or SourceFormatException)
            {
                // Nothing stamped: the same titles are asked at the next run.
                logger.LogWarning("Looking up titles on the arXiv API stopped: {Error}", ex.Message);
                break;
            }

            var wanted = papers.ToDictionary(p => p.NormalizedTitle, p => p.Id);
            var matches = parsed.Papers.Where(r => r.ArxivId is not null && wanted.ContainsKey(TextNormalizer.TitleKey(r.Title)))
                .DistinctBy(r => TextNormalizer.TitleKey(r.Title)).ToList();
            foreach (var record in matches)
            {
                var known = await db.Papers.AsNoTracking().Where(p => p.ArxivId == record.ArxivId).Select(p => (long?)p.Id).SingleOrDefaultAsync(ct);
                if (known is { } arxivPaper) await admin.MergeAsync(wanted[TextNormalizer.TitleKey(record.Title)], arxivPaper, ct);
            }
            db.ChangeTracker.Clear(); // the merges tracked rows; ingest reads its own

            if (matches.Count > 0) await ingestor.IngestAsync(sourceId, matches, ct);
            var asked = papers.Select(p => p.Id).ToList();
            await db.Papers.Where(p => asked.Contains(p.Id)).ExecuteUpdateAsync(u => u.SetProperty(p => p.ArxivTitleLookupAt, now), ct);
            found += matches.Count;
            logger.LogInformation("Looked up {Asked} titles on the arXiv API: {Found} found", papers.Count, matches.Count);
        }
        return found;
    }

    /// <summary>One id_list request through the runner (throttle, health), ingested; null when arXiv failed (logged and on the source: the run stops, the next retries).</summary>
    private async Task<int?> ReadAsync(int sourceId, List<string> arxivIds, CancellationToken ct)
    {
        ParseResult parsed;
        try
        {
            parsed = await runner.QueryArxivApiAsync($"id_list={string.Join(',', arxivIds)}&max_results={arxivIds.Count}", ct);
        }
        catch (Exception ex) when (ex is FetchException or SourceFormatException)
        {
            logger.LogWarning("Reading from the arXiv API stopped: {Error}", ex.Message);
            return null;
        }
        var result = await ingestor.IngestAsync(sourceId, parsed.Papers, ct);
        logger.LogInformation("Read {Count} of {Asked} papers from the arXiv API ({Updated} updated)", parsed.Papers.Count, arxivIds.Count, result.Updated);
        return parsed.Papers.Count;
    }
}
