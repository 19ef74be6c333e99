using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>Unconfirmed subscription requests expire: a request never confirmed is deleted after Digests:PendingExpiryDays.</summary>
public sealed class SubscriptionCleanup(CatalogDbContext db, TimeProvider time, IOptions<DigestOptions> options, ILogger<SubscriptionCleanup> logger)
{
    [AutomaticRetry(Attempts = 1)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.PendingExpiryDays);
        // Never confirmed only: a former reader who asked to come back keeps their history (what they were already sent).
        var deleted = await db.Subscriptions
            .Where(s => s.Status == SubscriptionStatus.Pending && s.ActivatedAt == null && s.CreatedAt < cutoff)
            .ExecuteDeleteAsync(ct);
        logger.LogInformation("Expired {Deleted} unconfirmed subscriptions created before {Cutoff}", deleted, cutoff);
        return deleted;
    }
}
