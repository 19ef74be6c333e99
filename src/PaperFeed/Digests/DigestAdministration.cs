using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Digests;

/// <summary>What /admin/digests shows: subscriptions stopped by bounces, and deliveries that failed or wait for a retry.</summary>
public sealed class DigestAdministration(CatalogDbContext db, TimeProvider time)
{
    public sealed record SuspendedRow(long Id, string Email, int PermanentFailures, string? LastError);
    public sealed record DeliveryRow(long Id, string Email, string Period, int Attempts, DateTime? NextAttemptAt, string? LastError, bool Abandoned);

    public Task<List<SuspendedRow>> SuspendedAsync(CancellationToken ct) =>
        db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Suspended).OrderBy(s => s.Email)
            .Select(s => new SuspendedRow(s.Id, s.Email, s.PermanentFailures, s.LastError)).ToListAsync(ct);

    /// <summary>Not sent: waiting or retried after a transient failure, or refused permanently (5xx), newest first.</summary>
    public Task<List<DeliveryRow>> UnsentAsync(int take, CancellationToken ct) =>
        db.DigestDeliveries.AsNoTracking().Where(d => d.SentAt == null && (!d.Abandoned || EF.Functions.Like(d.LastError, "5%")))
            .OrderByDescending(d => d.Id).Take(take)
            .Select(d => new DeliveryRow(d.Id, d.Subscription.Email, d.Period, d.Attempts, d.NextAttemptAt, d.LastError, d.Abandoned)).ToListAsync(ct);

    /// <summary>Back to active with a clean failure count: its address, or null when it was not suspended.</summary>
    public async Task<string?> ReactivateAsync(long id, CancellationToken ct)
    {
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.Status == SubscriptionStatus.Suspended, ct);
        if (subscription is null) return null;
        subscription.Activate(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return subscription.Email;
    }
}
