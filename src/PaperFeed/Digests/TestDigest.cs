using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Digests;

/// <summary>An administrator's test digest: the sample digest of the latest day, through the real transport, recording nothing.</summary>
public sealed class TestDigest(CatalogDbContext db, DigestComposer composer, DigestMessages messages, DigestLinks links, IMailTransport transport,
    TimeProvider time, IOptions<AppOptions> site)
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
