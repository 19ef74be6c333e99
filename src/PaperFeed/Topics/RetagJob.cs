using Hangfire;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Topics;

/// <summary>Re-tags every paper after the topics changed, in keyset-paged batches so memory stays flat on any catalog.</summary>
public sealed class RetagJob(CatalogDbContext db, PaperTagging tagging, ILogger<RetagJob> logger)
{
    public const int BatchSize = 1000;

    // Two runs would fight over the same rows; a save during a run enqueues another, which waits for this one.
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    public async Task<TagResult> RunAsync(CancellationToken ct)
    {
        long afterId = 0;
        var total = new TagResult(0, 0, 0);
        while (true)
        {
            var ids = await db.Papers.AsNoTracking().Where(p => p.Id > afterId).OrderBy(p => p.Id)
                .Take(BatchSize).Select(p => p.Id).ToListAsync(ct);
            if (ids.Count == 0) break;
            afterId = ids[^1];
            var result = await tagging.TagAsync(ids, ct);
            db.ChangeTracker.Clear();
            total = new TagResult(total.Papers + result.Papers, total.Added + result.Added, total.Removed + result.Removed);
        }
        logger.LogInformation("Re-tagged {Papers} papers: {Added} topics added, {Removed} removed", total.Papers, total.Added, total.Removed);
        return total;
    }
}
