using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources.Arxiv;
using PaperFeed.Sources.Feeds;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Sources;

/// <summary>
/// Runs one source once: fetch (conditionally), parse, ingest, and record the source's health.
/// The recurring job, "fetch now", backfill and the tests all come through here. Failures are recorded, never thrown.
/// </summary>
public sealed class SourceRunner(
    CatalogDbContext db, SourceFetcher fetcher, PaperIngestor ingestor, TimeProvider time, IServiceProvider services,
    IOptions<SourcesOptions> options, ILogger<SourceRunner> logger)
{
    public async Task<IngestResult> RunAsync(int sourceId, CancellationToken ct = default)
    {
        var source = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == sourceId, ct);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // Sources addressed by day re-read the last few days (HF accepts papers late); the others have one address.
        IReadOnlyList<DateOnly?> days = IsPerDay(source)
            ? Enumerable.Range(0, options.Value.RecentDays).Select(i => (DateOnly?)today.AddDays(-i)).Reverse().ToList()
            : [null];

        var total = IngestResult.None;
        var warnings = new List<string>();
        string? error = null;
        TimeSpan? retryAfter = null;
        var notModified = 0;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Source"] = source.Name });
        try
        {
            foreach (var day in days)
            {
                var (parsed, fetched) = await FetchAndParseAsync(source, day, conditional: true, ct);
                if (fetched.NotModified) { notModified++; continue; }
                if (parsed.Warning is not null) warnings.Add(parsed.Warning);
                total = total.Add(await ingestor.IngestAsync(source.Id, parsed.Papers, ct));
                // Only now is the body safely in the catalog: a 304 next time must not skip unread data.
                await fetcher.RememberAsync(fetched, ct);
            }
        }
        catch (FetchException ex)
        {
            error = ex.Message;
            retryAfter = ex.RetryAfter;
        }
        catch (SourceFormatException ex)
        {
            error = ex.Message;
        }

        await RecordHealthAsync(source.Id, total, notModified == days.Count, error, warnings.Distinct().FirstOrDefault(), retryAfter, ct);
        if (error is null)
            logger.LogInformation("Fetched {Source}: {Days} addresses ({NotModified} not modified), {Papers} papers, {New} new, {Updated} updated, {Unchanged} unchanged",
                source.Name, days.Count, notModified, total.Total, total.New, total.Updated, total.Unchanged);
        else
            logger.LogWarning("Fetching {Source} failed: {Error} ({Papers} papers ingested before the failure)", source.Name, error, total.Total);

        // The command-line host (backfill) has no job client: its papers wait for the recurring enrichment job.
        if (source.Kind is SourceKind.HuggingFacePage or SourceKind.HuggingFaceApi && total.New + total.Updated > 0)
            services.GetService<IBackgroundJobClient>()?.Enqueue<EnrichPapersJob>(job => job.RunAsync(CancellationToken.None));
        return total;
    }

    public static bool IsPerDay(Source source) => source.Url.Contains("{date}", StringComparison.Ordinal);

    /// <summary>Reads one address of a source (the day's, when it has one) and parses it by the source's kind.</summary>
    public async Task<(ParseResult Result, FetchResult Fetched)> FetchAndParseAsync(Source source, DateOnly? day, bool conditional, CancellationToken ct)
    {
        var fetched = await fetcher.GetAsync(Expand(source.Url, day), conditional, ct);
        if (fetched.NotModified) return (ParseResult.Empty, fetched);
        var body = fetched.Body!;
        switch (source.Kind)
        {
            case SourceKind.HuggingFacePage:
                if (HfPapersPageParser.TryParse(body, out var fromPage)) return (fromPage, fetched);
                if (source.FallbackUrl is null)
                    throw new SourceFormatException("the papers page has no DailyPapers data element (layout change?) and no fallback is set");
                // A layout change on the page: the API carries the same items. Its own validators are not kept.
                var api = await fetcher.GetAsync(Expand(source.FallbackUrl, day), conditional: false, ct);
                var fromApi = HfDailyPapersJsonParser.Parse(api.Body!) with { Warning = "the papers page had no DailyPapers data element (layout change?); read the API instead" };
                return (fromApi, fetched with { ETag = null, LastModified = null });
            case SourceKind.HuggingFaceApi:
                return (HfDailyPapersJsonParser.Parse(body), fetched);
            case SourceKind.ArxivListing:
                return (ArxivListingParser.Parse(body), fetched);
            case SourceKind.ArxivRss:
                return (ArxivRssParser.Parse(body), fetched);
            case SourceKind.ArxivApi:
                return (ArxivAtomParser.Parse(body), fetched);
            case SourceKind.ArxivOai:
                return (OaiPmhParser.Parse(body), fetched);
            case SourceKind.Feed:
                return (FeedParser.Parse(body), fetched);
            default:
                throw new SourceFormatException($"a {source.Kind} source cannot be fetched on a schedule");
        }
    }

    public static string Expand(string template, DateOnly? day) =>
        day is { } d ? template.Replace("{date}", d.ToString("yyyy-MM-dd"), StringComparison.Ordinal) : template;

    private async Task RecordHealthAsync(int sourceId, IngestResult total, bool allNotModified, string? error, string? warning, TimeSpan? retryAfter, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var source = await db.Sources.SingleAsync(s => s.Id == sourceId, ct);
        source.LastRunAt = now;
        source.LastWarning = warning;
        if (error is null)
        {
            source.LastSuccessAt = now;
            source.LastError = null;
            source.ConsecutiveFailures = 0;
            source.NextRunAt = now.AddMinutes(source.IntervalMinutes);
            if (!allNotModified)
            {
                source.LastPaperCount = total.Total;
                // A running mean, so the page can show a run that brought far fewer papers than usual.
                source.UsualPaperCount = source.UsualPaperCount is { } usual ? usual * 0.8 + total.Total * 0.2 : total.Total;
            }
        }
        else
        {
            source.LastError = error;
            source.ConsecutiveFailures++;
            // Exponential backoff from the source's interval, capped; a server's Retry-After is a floor.
            var backoff = TimeSpan.FromMinutes(Math.Min(options.Value.MaxBackoffMinutes,
                source.IntervalMinutes * Math.Pow(2, Math.Min(source.ConsecutiveFailures - 1, 16))));
            if (retryAfter > backoff) backoff = retryAfter.Value;
            source.NextRunAt = now + backoff;
        }
        await db.SaveChangesAsync(ct);
    }
}
