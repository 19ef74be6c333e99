using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources.Arxiv;
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

        await RecordHealthAsync(source.Id, total, notModified == days.Count, error, warnings.Distinct().FirstOrDefault(), retryAfter, scheduled: true, ct);
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
        if (source.Kind != SourceKind.HuggingFacePage) return (ImportFormats.ParseAs(ImportFormats.FormatOf(source.Kind), body), fetched);
        if (HfPapersPageParser.TryParse(body, out var fromPage)) return (fromPage, fetched);
        if (source.FallbackUrl is null)
            throw new SourceFormatException("the papers page has no DailyPapers data element (layout change?) and no fallback is set");
        // A layout change on the page: the API carries the same items. Its own validators are not kept.
        var api = await fetcher.GetAsync(Expand(source.FallbackUrl, day), conditional: false, ct);
        var fromApi = ImportFormats.ParseAs(ImportFormat.HfJson, api.Body!) with { Warning = "the papers page had no DailyPapers data element (layout change?); read the API instead" };
        return (fromApi, fetched with { ETag = null, LastModified = null });
    }

    /// <summary>
    /// Every paper a source lists for a past day (backfill): a day-addressed source's page for that day; the arXiv API's
    /// submittedDate query for the day, page after page within its 30,000-result cap; OAI-PMH following resumption
    /// tokens. API and OAI papers are listed on the day of their first version.
    /// </summary>
    public async Task<IReadOnlyList<PaperRecord>> ReadDayAsync(Source source, DateOnly day, CancellationToken ct) => source.Kind switch
    {
        SourceKind.ArxivApi => await ApiDayAsync(source, day, ct),
        SourceKind.ArxivOai => await OaiDayAsync(source, day, ct),
        _ => (await FetchAndParseAsync(source, day, conditional: false, ct)).Result.Papers,
    };

    private const int ApiPageSize = 2000;
    private const int ApiResultCap = 30_000;

    private async Task<List<PaperRecord>> ApiDayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        var range = $"submittedDate:[{day:yyyyMMdd}0000 TO {day:yyyyMMdd}2359]";
        var query = QueryOf(source.Url);
        var search = Uri.EscapeDataString(string.IsNullOrEmpty(query) ? range : $"({query}) AND {range}");
        var baseUrl = source.Url.Split('?')[0];
        var records = new List<PaperRecord>();
        for (var start = 0; start < ApiResultCap; start += ApiPageSize)
        {
            var page = ImportFormats.ParseAs(ImportFormat.ArxivAtom, await fetcher.GetStringAsync(
                $"{baseUrl}?search_query={search}&start={start}&max_results={ApiPageSize}&sortBy=submittedDate&sortOrder=ascending", ct));
            records.AddRange(page.Papers.Select(ListedOnFirstVersion));
            if (page.Papers.Count == 0 || start + ApiPageSize >= (page.TotalResults ?? 0)) break;
        }
        return records;
    }

    private async Task<List<PaperRecord>> OaiDayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        var baseUrl = source.Url.Split('?')[0];
        var set = System.Web.HttpUtility.ParseQueryString(new Uri(source.Url).Query)["set"];
        var url = $"{baseUrl}?verb=ListRecords&metadataPrefix=arXiv&from={day:yyyy-MM-dd}&until={day:yyyy-MM-dd}" + (set is null ? "" : "&set=" + Uri.EscapeDataString(set));
        var records = new List<PaperRecord>();
        while (true)
        {
            var page = ImportFormats.ParseAs(ImportFormat.ArxivOai, await fetcher.GetStringAsync(url, ct));
            records.AddRange(page.Papers.Select(ListedOnFirstVersion));
            if (string.IsNullOrEmpty(page.ResumptionToken)) return records;
            url = $"{baseUrl}?verb=ListRecords&resumptionToken={Uri.EscapeDataString(page.ResumptionToken)}";
        }
    }

    private static PaperRecord ListedOnFirstVersion(PaperRecord r) =>
        r.PublishedAt is { } published ? r with { ListDay = DateOnly.FromDateTime(published) } : r;

    private static string? QueryOf(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? null : System.Web.HttpUtility.ParseQueryString(url[(question + 1)..])["search_query"];
    }

    public static string Expand(string template, DateOnly? day) =>
        day is { } d ? template.Replace("{date}", d.ToString("yyyy-MM-dd"), StringComparison.Ordinal) : template;

    /// <summary>
    /// The source the arXiv API is read through on demand (enrichment by id and by title, a reader's submission): never
    /// scheduled, but its health is recorded like any source's. The name is kept from when only enrichment used it.
    /// </summary>
    public const string ArxivApiSourceName = "arXiv API (enrichment)";

    /// <summary>The on-demand arXiv API source's id, created the first time it is needed.</summary>
    public async Task<int> ArxivApiSourceAsync(CancellationToken ct)
    {
        if (await db.Sources.Where(s => s.Name == ArxivApiSourceName).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct) is { } id) return id;
        // Enabled = false: the schedule never runs it (Source.OnDemand); its callers do.
        var source = new Source { Name = ArxivApiSourceName, Kind = SourceKind.ArxivApi, Url = options.Value.ArxivApiUrl, Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        db.Entry(source).State = EntityState.Detached;
        return source.Id;
    }

    /// <summary>
    /// One question to the arXiv API (<paramref name="query"/>: <c>id_list=…</c> or <c>search_query=…</c>, with
    /// <c>max_results</c>) through the fetcher's throttle, parsed as arXiv Atom by the one format switch, its outcome recorded
    /// on the arXiv API source's health (its schedule untouched). A failure is recorded, then thrown to the caller
    /// (<see cref="FetchException"/>, <see cref="SourceFormatException"/>), whose own rule says what to do next.
    /// <paramref name="readerQuestion"/>: an error entry (arXiv cannot read the id) is about a reader's input, not the
    /// source, so it counts as an answer.
    /// </summary>
    public async Task<ParseResult> QueryArxivApiAsync(string query, CancellationToken ct, bool readerQuestion = false)
    {
        var sourceId = await ArxivApiSourceAsync(ct);
        try
        {
            var parsed = ImportFormats.ParseAs(ImportFormat.ArxivAtom, await fetcher.GetStringAsync($"{options.Value.ArxivApiUrl}?{query}", ct));
            await RecordOnDemandAsync(sourceId, error: null, ct);
            return parsed;
        }
        catch (FetchException ex)
        {
            await RecordOnDemandAsync(sourceId, ex.Message, ct);
            throw;
        }
        catch (SourceFormatException ex)
        {
            await RecordOnDemandAsync(sourceId, readerQuestion && ArxivAtomParser.IsApiError(ex) ? null : ex.Message, ct);
            throw;
        }
    }

    private async Task RecordOnDemandAsync(int sourceId, string? error, CancellationToken ct)
    {
        // CancellationToken.None: a request cancelled after arXiv answered still leaves its outcome on the source.
        await RecordHealthAsync(sourceId, IngestResult.None, allNotModified: false, error, warning: null, retryAfter: null, scheduled: false, CancellationToken.None);
        // The callers ingest on this same context afterwards: leave no tracked source behind.
        foreach (var entry in db.ChangeTracker.Entries<Source>().Where(e => e.Entity.Id == sourceId).ToList()) entry.State = EntityState.Detached;
    }

    /// <summary>A backfilled day's outcome on the source's health (its schedule is the recurring runs' alone).</summary>
    public Task RecordBackfillAsync(int sourceId, IngestResult result, string? error, CancellationToken ct) =>
        RecordHealthAsync(sourceId, result, allNotModified: false, error, warning: null, retryAfter: null, scheduled: false, ct);

    private async Task RecordHealthAsync(int sourceId, IngestResult total, bool allNotModified, string? error, string? warning, TimeSpan? retryAfter,
        bool scheduled, CancellationToken ct)
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
            if (scheduled) source.NextRunAt = now.AddMinutes(source.IntervalMinutes);
            if (scheduled && !allNotModified)
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
            if (scheduled)
            {
                // Exponential backoff from the source's interval, capped; a server's Retry-After is a floor.
                var backoff = TimeSpan.FromMinutes(Math.Min(options.Value.MaxBackoffMinutes,
                    source.IntervalMinutes * Math.Pow(2, Math.Min(source.ConsecutiveFailures - 1, 16))));
                if (retryAfter > backoff) backoff = retryAfter.Value;
                source.NextRunAt = now + backoff;
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
