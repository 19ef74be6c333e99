using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Digests;

/// <summary>The digest as a signed-in reader sees it on /account: the subscription of their account's address.</summary>
public sealed record AccountDigest(string Email, SubscriptionStatus? Status, string? PreferencesUrl);

/// <summary>
/// A signed-in reader's subscription, by their account's address. That address was confirmed to sign in, so subscribing
/// here needs no second confirmation; unsubscribing is the same as the link in an email.
/// </summary>
public sealed class AccountSubscriptions(CatalogDbContext db, DigestLinks links, TimeProvider time)
{
    public async Task<AccountDigest> FindAsync(User user, CancellationToken ct)
    {
        var email = SubscriptionChanges.NormalizeEmail(user.Email ?? "");
        var mine = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == email, ct);
        return new AccountDigest(email, mine?.Status, mine is null ? null : links.PreferencesUrl(mine));
    }

    public async Task SubscribeAsync(User user, CancellationToken ct)
    {
        var email = SubscriptionChanges.NormalizeEmail(user.Email ?? throw new InvalidOperationException("an account without an address"));
        var now = time.GetUtcNow().UtcDateTime;
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Email == email, ct);
        if (subscription is null) db.Subscriptions.Add(subscription = new Subscription { Email = email, CreatedAt = now });
        subscription.UserId = user.Id;
        if (subscription.Status != SubscriptionStatus.Active) subscription.Activate(now);
        await db.SaveChangesAsync(ct);
    }

    public async Task UnsubscribeAsync(User user, CancellationToken ct)
    {
        var email = SubscriptionChanges.NormalizeEmail(user.Email ?? "");
        if (await db.Subscriptions.Where(s => s.Email == email).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct) is { } id)
            await db.UnsubscribeAsync(id, time.GetUtcNow().UtcDateTime, ct);
    }
}

/// <summary>An administrator's test digest: the sample digest of the latest day, through the real transport, recording nothing.</summary>
public sealed class TestDigest(CatalogDbContext db, DigestComposer composer, DigestMessages messages, DigestLinks links, IMailTransport transport,
    TimeProvider time, IOptions<SiteOptions> site)
{
    /// <summary>Sends it to <paramref name="email"/>; false when no paper is listed yet.</summary>
    public async Task<bool> SendAsync(string email, CancellationToken ct)
    {
        if (await db.LatestDayAsync(ct) is not { } day) return false;
        var period = new DigestPeriod(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day, day);
        var sample = new Subscription { Id = 0, Email = email, MaxPapers = 10 };
        var papers = await DigestSelection.SelectAsync(db, sample, period, ct);
        if (papers.Count == 0) return false;
        var baseUrl = (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');
        // The reader's own links when this address is subscribed; otherwise the public pages.
        var mine = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == SubscriptionChanges.NormalizeEmail(email), ct);
        var emailLinks = mine is null
            ? new DigestEmailLinks(baseUrl, baseUrl + "/subscribe", baseUrl + "/subscribe")
            : new DigestEmailLinks(baseUrl, links.PreferencesUrl(mine), links.UnsubscribeUrl(mine));
        var content = await composer.ComposeAsync(sample, period, [.. papers.Select(p => p.ToItem(baseUrl))], emailLinks, site.Value.SiteName);
        var host = Uri.TryCreate(site.Value.BaseUrl, UriKind.Absolute, out var uri) ? uri.Host : "localhost";
        var message = messages.Build(new PendingDelivery(0, $"test-digest-{Guid.NewGuid():N}@{host}", "[Test] " + content.Subject, content.Html, content.Text,
            time.GetUtcNow().UtcDateTime, 0, 0, email, SubscriptionStatus.Active), emailLinks.UnsubscribeUrl);
        await transport.SendAsync(message, ct);
        return true;
    }
}

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
