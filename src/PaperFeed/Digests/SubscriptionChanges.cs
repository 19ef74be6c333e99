using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>The state changes a reader makes to a subscription, shared by the pages and the one-click endpoint.</summary>
public static class SubscriptionChanges
{
    /// <summary>The address the subscription is stored under: trimmed and lower-cased.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// Unsubscribes at once, in the database: the sender re-reads the status right before sending, and digests
    /// composed but not sent yet are abandoned here too.
    /// </summary>
    public static async Task UnsubscribeAsync(this CatalogDbContext db, long subscriptionId, DateTime now, CancellationToken ct)
    {
        await db.Subscriptions
            .Where(s => s.Id == subscriptionId && s.Status != SubscriptionStatus.Unsubscribed)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Unsubscribed).SetProperty(s => s.UnsubscribedAt, now), ct);
        await db.AbandonUnsentAsync(subscriptionId, "unsubscribed before sending", ct);
    }

    /// <summary>Digests composed for the subscription but not sent yet are given up, with the reason.</summary>
    public static Task<int> AbandonUnsentAsync(this CatalogDbContext db, long subscriptionId, string why, CancellationToken ct) =>
        db.DigestDeliveries
            .Where(d => d.SubscriptionId == subscriptionId && d.SentAt == null && !d.Abandoned)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.Abandoned, true).SetProperty(d => d.LastError, why), ct);

    /// <summary>Back to receiving digests, with a clean delivery record.</summary>
    public static void Activate(this Subscription subscription, DateTime now)
    {
        subscription.Status = SubscriptionStatus.Active;
        // When it last became active: a late (catch-up) digest never covers a time it was not wanted.
        subscription.ActivatedAt = now;
        subscription.UnsubscribedAt = null;
        subscription.PermanentFailures = 0;
        subscription.LastError = null;
    }
}
