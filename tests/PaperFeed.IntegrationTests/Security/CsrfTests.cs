using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// Cross-site request forgery: every state-changing POST the app maps, found in its endpoint data source, refuses a
/// request without the antiforgery token and one carrying another visitor's token, even from a signed-in administrator
/// (so that authorization is not what refuses it). The one exception is RFC 8058 one-click unsubscribe.
/// </summary>
[Collection(SecuritySiteCollection.Name)]
public sealed class CsrfTests(SecuritySite site)
{
    /// <summary>The endpoints that may be posted without a token, and why.</summary>
    private static readonly Dictionary<string, string> Exempt = new()
    {
        ["/digest/unsubscribe/one-click"] = "RFC 8058: the mail provider posts with no cookie and no token; the signed token in the address authorises it",
        ["/error"] = "the error page re-executed for a failed POST; it changes nothing",
        ["/digest/feedback/one-click"] = "the digest's 👍/👎 one-click POST, like unsubscribe: the signed token in the address authorises it, and following it twice records one signal (RankedDigestTests)",
        ["/digest/bounce"] = "a mail relay's webhook: no cookie, no session; the HMAC signature of the event authorises it (BounceWebhookTests)",
    };

    private Dictionary<string, string> Samples() => new()
    {
        ["paperId"] = site.AnyPaperId.ToString(CultureInfo.InvariantCulture),
        ["id"] = "1",
        ["kind"] = "week",
        ["period"] = "2026-W24",
        ["slug"] = SecuritySite.TopicSlug,
        ["date"] = "2026-06-11",
        ["path"] = "recurring/trigger",
    };

    [Fact]
    public void Every_post_endpoint_is_known_and_only_the_exempt_ones_skip_the_token()
    {
        var posts = Endpoints.Posts(site.App, Samples());
        // The list is read from the app: these are a few of what it must find, so that the search itself is tested.
        foreach (var known in new[] { "/vote/{paperId:long}", "/save/{paperId:long}", "/account/logout", "/subscribe", "/sources", "/jobs/{**path}", "/admin/users" })
            Assert.Contains(posts, p => p.Template == known);
        Assert.True(posts.Count >= 25, $"only {posts.Count} POST endpoints found");
        var skipping = posts.Where(p => Endpoints.IgnoresAntiforgery(p.Endpoint)).Select(p => p.Template).Distinct().Order().ToList();
        Assert.Equal(Exempt.Keys.Order().ToList(), skipping);
    }

    [Fact]
    public async Task Every_post_refuses_a_missing_or_foreign_token_even_from_an_administrator()
    {
        // Another visitor's token (their own cookie pair stays with them): what a forging site could at best embed.
        using var other = Forms.Client(site.App);
        var foreign = (await other.FindFormAsync("/account/login", "main form[method=post]")).Fields[HtmlForm.TokenField];
        // A throwaway administrator: if a post were wrongly accepted it could sign out or change things.
        using var admin = await TestAccounts.AdminAsync(site.App, $"csrf-{Guid.NewGuid():N}@example.org");
        var checkedCount = 0;
        foreach (var post in Endpoints.Posts(site.App, Samples()).Where(p => !Exempt.ContainsKey(p.Template)))
        {
            foreach (var (label, fields) in new[]
            {
                ("no token", new Dictionary<string, string> { ["up"] = "true", ["save"] = "true" }),
                ("foreign token", new Dictionary<string, string> { ["up"] = "true", ["save"] = "true", [HtmlForm.TokenField] = foreign }),
            })
            {
                using var content = new FormUrlEncodedContent(fields);
                var response = await admin.PostAsync(post.Url, content);
                // Razor Pages answer 400 (the friendly error page); Hangfire's dashboard answers 403.
                Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden,
                    $"POST {post.Url} with {label}: {(int)response.StatusCode} {response.Headers.Location}");
            }
            checkedCount++;
        }
        Assert.True(checkedCount >= 23, $"{checkedCount} endpoints checked");
        // Still signed in as the administrator, and nothing was voted or saved.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/sources")).StatusCode);
        Assert.Equal(0, await site.App.WithDbAsync(db => db.SavedPapers.CountAsync(s => s.User.Email!.StartsWith("csrf-"))));
    }

    [Fact]
    public async Task One_click_unsubscribe_is_authorised_by_its_signed_token_alone()
    {
        var subscription = await site.App.WithDbAsync(async db =>
        {
            var s = new Subscription { Email = $"oneclick-{Guid.NewGuid():N}@example.org", Status = SubscriptionStatus.Active, CreatedAt = DateTime.UtcNow };
            db.Subscriptions.Add(s);
            await db.SaveChangesAsync();
            return s;
        });
        var url = await site.App.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<DigestLinks>().UnsubscribeUrl(subscription)));
        using var provider = site.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var path = new Uri(url).PathAndQuery;

        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
        Assert.Equal(HttpStatusCode.BadRequest, (await provider.PostAsync(path[..^4] + "AAAA", forged)).StatusCode);
        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
        Assert.Equal(HttpStatusCode.OK, (await provider.PostAsync(path, body)).StatusCode);
        Assert.Equal(SubscriptionStatus.Unsubscribed,
            await site.App.WithDbAsync(db => db.Subscriptions.Where(s => s.Id == subscription.Id).Select(s => s.Status).SingleAsync()));
    }
}
