using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.ForYou;

/// <summary>A reader's seed paper: its arXiv id, and the paper when the catalog has it (null: waiting to be fetched).</summary>
public sealed record SeedPaper(string ArxivId, string? Title, string? Url);

/// <summary>
/// Seed papers (cold start): arXiv ids a reader pastes or imports become <see cref="RuleKind.Seed"/> rows. A seed the catalog
/// holds is a liked paper for the reader's model at once (<see cref="ForYouRanking.SignalsAsync(CatalogDbContext, string, CancellationToken)"/>);
/// the others wait for <see cref="FetchSeedsJob"/>, which reads them from the arXiv API through the shared fetcher and ingests them.
/// </summary>
public static class SeedPapers
{
    public const int MaxSeeds = 500;

    /// <summary>What an import did: seeds added, of which in the catalog now, queued for fetching; entries without a usable id.</summary>
    public sealed record Outcome(int Added, int InCatalog, int Queued, int NotRecognised);

    public static async Task<Outcome> AddAsync(CatalogDbContext db, string userId, SeedImport.Found found, DateTime now, CancellationToken ct)
    {
        // A DOI counts when the catalog knows the paper and its arXiv id (a journal version of an arXiv paper).
        var dois = found.Dois;
        var fromDoi = dois.Count == 0 ? [] : await db.Papers.AsNoTracking().Where(p => p.Doi != null && p.ArxivId != null && dois.Contains(p.Doi.ToLower()))
            .Select(p => p.ArxivId!).ToListAsync(ct);
        var have = await db.ReaderRules.AsNoTracking().Where(r => r.UserId == userId && r.Kind == RuleKind.Seed).Select(r => r.Value).ToListAsync(ct);
        var fresh = found.ArxivIds.Concat(fromDoi).Distinct(StringComparer.Ordinal).Except(have, StringComparer.Ordinal)
            .Take(Math.Max(0, MaxSeeds - have.Count)).ToList();
        var kind = nameof(RuleKind.Seed);
        foreach (var id in fresh)
            // The (user, kind, value) unique index settles a double submit: the second insert does nothing.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "ReaderRules" ("UserId", "Kind", "Value", "CreatedAt") VALUES ({userId}, {kind}, {id}, {now}) ON CONFLICT DO NOTHING""", ct);
        var inCatalog = fresh.Count == 0 ? 0 : await db.Papers.CountAsync(p => p.ArxivId != null && fresh.Contains(p.ArxivId), ct);
        var recognised = found.ArxivIds.Count + fromDoi.Count;
        return new Outcome(fresh.Count, inCatalog, fresh.Count - inCatalog, Math.Max(0, found.Entries - recognised));
    }

    public static async Task<List<SeedPaper>> ListAsync(CatalogDbContext db, string userId, CancellationToken ct)
    {
        var seeds = await db.ReaderRules.AsNoTracking().Where(r => r.UserId == userId && r.Kind == RuleKind.Seed).OrderByDescending(r => r.Id)
            .Select(r => new { r.Value, Paper = db.Papers.Where(p => p.ArxivId == r.Value && !p.Hidden).Select(p => new { p.Key, p.Title }).FirstOrDefault() })
            .ToListAsync(ct);
        return [.. seeds.Select(x => new SeedPaper(x.Value, x.Paper?.Title, x.Paper is null ? null : PaperLinks.PagePath(x.Paper.Key, x.Paper.Title)))];
    }

    public static Task<int> RemoveAsync(CatalogDbContext db, string userId, string arxivId, CancellationToken ct) =>
        db.ReaderRules.Where(r => r.UserId == userId && r.Kind == RuleKind.Seed && r.Value == arxivId).ExecuteDeleteAsync(ct);
}

/// <summary>
/// Fetches seed papers the catalog lacks from the arXiv API (<c>id_list</c>, through <see cref="SourceFetcher"/>: the arXiv
/// throttle holds) and ingests them through the one ingest path, listed by the "Seed papers" source on the day arXiv published
/// them (not today: a seed is not news). Safe to run twice: what is ingested is no longer missing.
/// </summary>
public sealed class FetchSeedsJob(CatalogDbContext db, SourceFetcher fetcher, PaperIngestor ingestor, IOptions<SourcesOptions> sources,
    TimeProvider time, ILogger<FetchSeedsJob> logger)
{
    public const string SourceName = "Seed papers";
    public const int IdsPerRequest = 50;
    /// <summary>Requests per run, so a large import is spread over runs (and an id arXiv does not know is asked again later).</summary>
    public const int RequestsPerRun = 4;

    [DisableConcurrentExecution(600)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var missing = await db.ReaderRules.AsNoTracking().Where(r => r.Kind == RuleKind.Seed && !db.Papers.Any(p => p.ArxivId == r.Value))
            .Select(r => r.Value).Distinct().OrderBy(v => v).Take(IdsPerRequest * RequestsPerRun).ToListAsync(ct);
        var ingested = 0;
        foreach (var ids in missing.Chunk(IdsPerRequest))
        {
            ParseResult parsed;
            try
            {
                var url = $"{sources.Value.ArxivApiUrl}?id_list={Uri.EscapeDataString(string.Join(',', ids))}&max_results={ids.Length}";
                parsed = ArxivAtomParser.Parse(await fetcher.GetStringAsync(url, ct));
            }
            catch (Exception ex) when (ex is FetchException or SourceFormatException)
            {
                logger.LogWarning("Seed papers: the arXiv API failed for {Count} ids: {Error}", ids.Length, ex.Message);
                break;
            }
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            var records = parsed.Papers.Where(p => p.ArxivId is not null && ids.Contains(p.ArxivId))
                .Select(p => p with { ListDay = p.PublishedAt is { } published ? DateOnly.FromDateTime(published) : today }).ToList();
            if (records.Count > 0) await ingestor.IngestAsync(await SourceIdAsync(ct), records, ct);
            ingested += records.Count;
        }
        logger.LogInformation("Seed papers: {Missing} missing, {Ingested} fetched", missing.Count, ingested);
        return ingested;
    }

    private async Task<int> SourceIdAsync(CancellationToken ct)
    {
        if (await db.Sources.Where(s => s.Name == SourceName).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct) is { } id) return id;
        // Never scheduled: it has nothing of its own to fetch.
        var source = new Source { Name = SourceName, Kind = SourceKind.Import, Url = "reader:seeds", Curated = false, Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        return source.Id;
    }
}
