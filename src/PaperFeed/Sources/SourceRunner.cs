using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Sources;

/// <summary>
/// Runs one source once: fetch each recent day, parse, ingest, and record the source's health.
/// The recurring job, "fetch now" and the tests all come through here. Failures are recorded, never thrown.
/// </summary>
public sealed class SourceRunner(
    CatalogDbContext db, SourceFetcher fetcher, PaperIngestor ingestor, TimeProvider time,
    IOptions<SourcesOptions> options, ILogger<SourceRunner> logger)
{
    public async Task<IngestResult> RunAsync(int sourceId, CancellationToken ct = default)
    {
        var source = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == sourceId, ct);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = Enumerable.Range(0, options.Value.RecentDays).Select(i => today.AddDays(-i)).Reverse().ToList();

        var total = IngestResult.None;
        var warnings = new List<string>();
        string? error = null;
        TimeSpan? retryAfter = null;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Source"] = source.Name });
        try
        {
            foreach (var day in days)
            {
                var parsed = await FetchDayAsync(source, day, ct);
                if (parsed.Warning is not null) warnings.Add(parsed.Warning);
                total = total.Add(await ingestor.IngestAsync(source.Id, parsed.Papers, ct));
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

        await RecordHealthAsync(source.Id, total, error, warnings.Distinct().FirstOrDefault(), retryAfter, ct);
        if (error is null)
            logger.LogInformation("Fetched {Source}: {Days} days, {Papers} papers, {New} new, {Updated} updated, {Unchanged} unchanged",
                source.Name, days.Count, total.Total, total.New, total.Updated, total.Unchanged);
        else
            logger.LogWarning("Fetching {Source} failed: {Error} ({Papers} papers ingested before the failure)", source.Name, error, total.Total);
        return total;
    }

    private async Task<ParseResult> FetchDayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        switch (source.Kind)
        {
            case SourceKind.HuggingFacePage:
                var html = await fetcher.GetStringAsync(Expand(source.Url, day), ct);
                if (HfPapersPageParser.TryParse(html, out var fromPage)) return fromPage;
                if (source.FallbackUrl is null)
                    throw new SourceFormatException("the papers page has no DailyPapers data element (layout change?) and no fallback is set");
                // A layout change on the page: the API carries the same items.
                var fromApi = HfDailyPapersJsonParser.Parse(await fetcher.GetStringAsync(Expand(source.FallbackUrl, day), ct));
                return fromApi with { Warning = "the papers page had no DailyPapers data element (layout change?); read the API instead" };
            case SourceKind.HuggingFaceApi:
                return HfDailyPapersJsonParser.Parse(await fetcher.GetStringAsync(Expand(source.Url, day), ct));
            default:
                throw new SourceFormatException($"a {source.Kind} source cannot be fetched on a schedule");
        }
    }

    private static string Expand(string template, DateOnly day) => template.Replace("{date}", day.ToString("yyyy-MM-dd"), StringComparison.Ordinal);

    private async Task RecordHealthAsync(int sourceId, IngestResult total, string? error, string? warning, TimeSpan? retryAfter, CancellationToken ct)
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
            source.LastPaperCount = total.Total;
            source.NextRunAt = now.AddMinutes(source.IntervalMinutes);
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
