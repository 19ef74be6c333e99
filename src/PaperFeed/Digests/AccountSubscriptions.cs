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
        // From now on the digest mutes what the account mutes: its own keywords join the account's rules.
        await ForYou.MuteRules.AdoptAsync(db, subscription, user.Id, now, ct);
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
