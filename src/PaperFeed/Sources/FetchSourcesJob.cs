using Hangfire;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Sources;

/// <summary>Runs every enabled source whose next run is due. Schedules and backoff live on the source rows.</summary>
public sealed class FetchSourcesJob(CatalogDbContext db, SourceRunner runner, TimeProvider time, ILogger<FetchSourcesJob> logger)
{
    // Two overlapping runs would fetch the same sources twice; the second waits for the first.
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Sources.AsNoTracking()
            .Where(s => s.Enabled && s.Kind != SourceKind.Import && s.Name != SourceRunner.ArxivApiSourceName && (s.NextRunAt == null || s.NextRunAt <= now))
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        foreach (var id in due) await runner.RunAsync(id, ct);
        logger.LogInformation("fetch-sources ran {Count} due sources", due.Count);
    }
}
