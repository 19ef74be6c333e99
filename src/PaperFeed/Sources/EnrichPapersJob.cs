using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Sources;

/// <summary>
/// Completes papers that came without arXiv's metadata (HF gives no categories, comments or journal refs)
/// from the arXiv API by id, in polite batches through the shared fetcher.
/// </summary>
public sealed class EnrichPapersJob(CatalogDbContext db, SourceFetcher fetcher, PaperIngestor ingestor,
    IOptions<SourcesOptions> options, ILogger<EnrichPapersJob> logger)
{
    public const string SourceName = "arXiv API (enrichment)";
    private const int MaxBatchesPerRun = 20;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var size = options.Value.EnrichBatchSize;
        var sourceId = await EnrichmentSourceAsync(ct);
        var done = 0;
        long afterId = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            // Papers arXiv has not described yet, oldest first; keyset on the id so a paper arXiv does not know is not asked again this run.
            var ids = await db.Papers.AsNoTracking()
                .Where(p => p.ArxivId != null && !p.MetadataFromArxiv && p.Id > afterId)
                .OrderBy(p => p.Id).Take(size).Select(p => new { p.Id, p.ArxivId }).ToListAsync(ct);
            if (ids.Count == 0) break;
            afterId = ids[^1].Id;

            var url = $"{options.Value.ArxivApiUrl}?id_list={string.Join(',', ids.Select(i => i.ArxivId))}&max_results={ids.Count}";
            ParseResult parsed;
            try
            {
                parsed = ArxivAtomParser.Parse(await fetcher.GetStringAsync(url, ct));
            }
            catch (Exception ex) when (ex is FetchException or SourceFormatException)
            {
                logger.LogWarning("Enriching from the arXiv API stopped: {Error}", ex.Message);
                break;
            }
            var result = await ingestor.IngestAsync(sourceId, parsed.Papers, ct);
            done += parsed.Papers.Count;
            logger.LogInformation("Enriched {Count} of {Asked} papers from the arXiv API ({Updated} updated)", parsed.Papers.Count, ids.Count, result.Updated);
        }
        return done;
    }

    private async Task<int> EnrichmentSourceAsync(CancellationToken ct)
    {
        var id = await db.Sources.Where(s => s.Name == SourceName).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var source = new Source { Name = SourceName, Kind = SourceKind.ArxivApi, Url = options.Value.ArxivApiUrl, Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        return source.Id;
    }
}
