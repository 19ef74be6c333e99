using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Sources;

/// <summary>
/// Reads a source day by day over a past range, saving its position on the source after every day, so a
/// killed run continues where it stopped. Day-addressed sources (HF) read each day's address; the arXiv API
/// queries submittedDate per day, paging within its 30,000-result cap; OAI-PMH follows resumption tokens.
/// Backfilled API and OAI papers are listed on the day of their first version.
/// </summary>
public sealed class Backfill(CatalogDbContext db, SourceRunner runner, SourceFetcher fetcher, PaperIngestor ingestor)
{
    private const int ApiPageSize = 2000;
    private const int ApiResultCap = 30_000;

    public static bool CanBackfill(Source source) =>
        SourceRunner.IsPerDay(source) || source.Kind is SourceKind.ArxivApi or SourceKind.ArxivOai;

    /// <summary>The first day to read: where an interrupted backfill of the same range stopped, else <paramref name="from"/>.</summary>
    public async Task<DateOnly> StartAsync(Source source, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var resume = source.BackfillLastDay == to && source.BackfillNextDay is { } next && next > from && next <= to ? next : from;
        await db.Sources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.BackfillNextDay, resume).SetProperty(x => x.BackfillLastDay, to), ct);
        return resume;
    }

    public async Task<IngestResult> DayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        var records = source.Kind switch
        {
            SourceKind.ArxivApi => await ApiDayAsync(source, day, ct),
            SourceKind.ArxivOai => await OaiDayAsync(source, day, ct),
            _ => (await runner.FetchAndParseAsync(source, day, conditional: false, ct)).Result.Papers,
        };
        var result = await ingestor.IngestAsync(source.Id, records, ct);
        var next = day.AddDays(1);
        await db.Sources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BackfillNextDay, next), ct);
        return result;
    }

    public Task FinishAsync(Source source, CancellationToken ct) =>
        db.Sources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.BackfillNextDay, (DateOnly?)null).SetProperty(x => x.BackfillLastDay, (DateOnly?)null), ct);

    private async Task<List<PaperRecord>> ApiDayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        var range = $"submittedDate:[{day:yyyyMMdd}0000 TO {day:yyyyMMdd}2359]";
        var query = QueryOf(source.Url);
        var search = Uri.EscapeDataString(string.IsNullOrEmpty(query) ? range : $"({query}) AND {range}");
        var baseUrl = source.Url.Split('?')[0];
        var records = new List<PaperRecord>();
        for (var start = 0; start < ApiResultCap; start += ApiPageSize)
        {
            var page = ArxivAtomParser.Parse(await fetcher.GetStringAsync(
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
            var page = OaiPmhParser.Parse(await fetcher.GetStringAsync(url, ct));
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
}
