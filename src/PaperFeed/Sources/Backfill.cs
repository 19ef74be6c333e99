using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Sources;

/// <summary>
/// Reads a source day by day over a past range, saving its position on the source after every day, so a
/// killed run continues where it stopped. The source's runner reads each day (<see cref="SourceRunner.ReadDayAsync"/>:
/// paging included) and records the outcome on the source's health, as a scheduled run does.
/// </summary>
public sealed class Backfill(CatalogDbContext db, SourceRunner runner, PaperIngestor ingestor)
{
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

    /// <summary>One day in; a failure is recorded on the source and thrown (the command stops there, to resume later).</summary>
    public async Task<IngestResult> DayAsync(Source source, DateOnly day, CancellationToken ct)
    {
        IngestResult result;
        try
        {
            result = await ingestor.IngestAsync(source.Id, await runner.ReadDayAsync(source, day, ct), ct);
        }
        catch (Exception ex) when (ex is FetchException or SourceFormatException)
        {
            await runner.RecordBackfillAsync(source.Id, IngestResult.None, $"backfill of {day:yyyy-MM-dd}: {ex.Message}", ct);
            throw;
        }
        await runner.RecordBackfillAsync(source.Id, result, error: null, ct);
        var next = day.AddDays(1);
        await db.Sources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BackfillNextDay, next), ct);
        return result;
    }

    public Task FinishAsync(Source source, CancellationToken ct) =>
        db.Sources.Where(s => s.Id == source.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.BackfillNextDay, (DateOnly?)null).SetProperty(x => x.BackfillLastDay, (DateOnly?)null), ct);
}
