using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>Enumeration by words and by time, rate limits on every limited endpoint, open redirects, header injection in email fields.</summary>
[Collection(SecuritySiteCollection.Name)]
public sealed class AbuseTests(SecuritySite site, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Form = "main form[method=post]";

    /// <summary>The three forms that take an address, each with the field and a known address.</summary>
    public static TheoryData<string, string, string> AddressForms() => new()
    {
        { "/account/register", "Input.Email", SecuritySite.ReaderEmail },
        { "/account/forgot", "Email", SecuritySite.ReaderEmail },
        { "/subscribe", "Input.Email", SecuritySite.SubscriberEmail },
    };

    private static Dictionary<string, string> Fields(string field, string email) =>
        new() { [field] = email, ["Input.Password"] = "Correct horse battery 9" };

    [Theory]
    [MemberData(nameof(AddressForms))]
    public async Task Known_and_unknown_addresses_get_the_same_words_and_the_same_time(string path, string field, string known)
    {
        var selector = path == "/subscribe" ? "#subscribe-form" : Form;
        using var client = Forms.Client(site.App);
        var form = await client.FindFormAsync(path, selector);
        async Task<(string Text, double Ms)> AskAsync(string email)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.PostFormAsync(form, Fields(field, email));
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            return (page.QuerySelector("main")!.TextContent.Replace(email, "X", StringComparison.Ordinal), watch.Elapsed.TotalMilliseconds);
        }

        // Warm up both paths (JIT, pools, the SMTP connection) before anything is measured.
        await AskAsync(known);
        await AskAsync($"warm-{Guid.NewGuid():N}@example.org");
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        string? knownText = null, unknownText = null;
        // Alternated, so that a slow moment of a shared machine falls on both sides alike; compared by medians.
        for (var i = 0; i < 15; i++)
        {
            var k = await AskAsync(known);
            var u = await AskAsync($"nobody-{Guid.NewGuid():N}@example.org");
            (knownText, unknownText) = (k.Text, u.Text);
            knownTimes.Add(k.Ms);
            unknownTimes.Add(u.Ms);
        }

        Assert.Equal(knownText, unknownText);
        var (mk, mu) = (Median(knownTimes), Median(unknownTimes));
        // Generous: a whole password hash (~tens of ms) or an SMTP exchange on one side only exceeds it; noise does not.
        var bound = 25 + 0.35 * Math.Max(mk, mu);
        output.WriteLine($"{path}: median {mk:F1} ms known, {mu:F1} ms unknown, bound {bound:F1} ms");
        Assert.True(Math.Abs(mk - mu) <= bound,
            $"{path}: median {mk:F1} ms for a known address, {mu:F1} ms for an unknown one (bound {bound:F1} ms)");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static TheoryData<string> ReturnUrls() =>
    [
        "https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "http:evil.example", "/%2F/evil.example",
        " //evil.example", "javascript:alert(1)", "/\t/evil.example", "https:/evil.example", "//evil.example@localhost", "/..//evil.example",
    ];

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task A_return_url_never_leaves_the_site(string returnUrl)
    {
        using var client = Forms.Client(site.App);
        var signIn = await client.SubmitAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), Form,
            new Dictionary<string, string> { ["Input.Email"] = SecuritySite.ReaderEmail, ["Input.Password"] = TestAccounts.Password });
        AssertOnSite(signIn, "sign-in");

        var paper = await site.App.WithDbAsync(db => db.Papers.OrderBy(p => p.Id).Select(p => new { p.Id, p.ArxivId }).FirstAsync());
        var vote = await Forms.VoteFormAsync(client, $"/papers/{paper.ArxivId}", paper.Id);
        AssertOnSite(await client.PostFormAsync(vote, new Dictionary<string, string> { ["up"] = "false", ["returnUrl"] = returnUrl }), "vote");
        var save = await client.FindFormAsync($"/papers/{paper.ArxivId}", $"form.save-form[action='/save/{paper.Id}']");
        AssertOnSite(await client.PostFormAsync(save, new Dictionary<string, string> { ["save"] = "false", ["returnUrl"] = returnUrl }), "save");
    }

    private static void AssertOnSite(HttpResponseMessage response, string what)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var target = new Uri(new Uri("http://localhost/"), location);
        Assert.True(target.Host == "localhost" && location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal),
            $"{what} redirected to {location}");
    }

    public static TheoryData<string> HeaderInjections() =>
    [
        "victim@example.org\r\nBcc: attacker@evil.example", "victim@example.org\nX-Injected: 1", "victim@example.org\rBcc: attacker@evil.example",
        "victim@example.org%0d%0aBcc:attacker@evil.example", "attacker@evil.example\r\n\r\nInjected body", "Mallory <victim@example.org>",
        "undisclosed:victim@example.org;", "victim@example.org, attacker@evil.example", "\"x\r\nBcc: attacker@evil.example\"@example.org",
        "victim@example.org\u2028Bcc: attacker@evil.example", "=?utf-8?Q?a=0D=0ABcc:attacker@evil.example?=@example.org",
    ];

    [Theory]
    [MemberData(nameof(HeaderInjections))]
    public async Task Line_breaks_in_an_email_field_never_become_headers_or_recipients(string email)
    {
        var before = site.Smtp.Received.Count;
        using var client = Forms.Client(site.App);
        using var signedIn = await TestAccounts.SignedInAsync(site.App, $"crlf-{Guid.NewGuid():N}@example.org");
        var attempts = new (HttpClient Client, string Path, string Selector, Dictionary<string, string> Values)[]
        {
            (client, "/subscribe", "#subscribe-form", new() { ["Input.Email"] = email }),
            (client, "/account/register", Form, Fields("Input.Email", email)),
            (client, "/account/forgot", Form, new() { ["Email"] = email }),
            (signedIn, "/account", "form.change-email", new() { ["newEmail"] = email }),
        };
        foreach (var (who, path, selector, values) in attempts)
        {
            var response = await who.SubmitAsync(path, selector, values);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        }

        var sent = site.Smtp.Received.Skip(before).ToList();
        foreach (var message in sent)
        {
            Assert.DoesNotContain(message.Headers, h => h.Field.Equals("X-Injected", StringComparison.OrdinalIgnoreCase));
            Assert.Empty(message.Bcc);
            Assert.Empty(message.Cc);
            Assert.Single(message.To.Mailboxes);
            Assert.DoesNotContain("Injected body", message.TextBody ?? "", StringComparison.Ordinal);
        }
        Assert.DoesNotContain(sent, m => m.To.Mailboxes.Concat(m.Bcc.Mailboxes).Any(a => a.Address.Contains("attacker@evil.example", StringComparison.OrdinalIgnoreCase)));
        // A display name or a group is not an address: nothing is stored under such a "address".
        Assert.False(await site.App.WithDbAsync(db => db.Subscriptions.AnyAsync(s => s.Email.Contains("<") || s.Email.Contains("\n") || s.Email.Contains(":"))));
        Assert.False(await site.App.WithDbAsync(db => db.Users.AnyAsync(u => u.Email!.Contains("<") || u.Email.Contains("\n") || u.Email.Contains(":"))));
    }
}

/// <summary>Every endpoint with a rate limit (found by its metadata) answers 429 with Retry-After once its limit is spent.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Every_rate_limited_endpoint_answers_429_with_retry_after()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:AuthPermitLimit"] = "3", ["RateLimits:VotePermitLimit"] = "3", ["RateLimits:CommentPermitLimit"] = "3",
        });
        var samples = new Dictionary<string, string> { ["paperId"] = "1" };
        var limited = Endpoints.All(app).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null).ToList();
        var templates = limited.Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToList();
        foreach (var expected in new[] { "/account/login", "/account/register", "/account/forgot", "/account/reset", "/subscribe", "/vote/{paperId:long}", "/save/{paperId:long}", "/watch/{paperId:long}", "/account", "/comments" })
            Assert.Contains(expected, templates);

        foreach (var template in templates)
        {
            var url = template.Replace("{paperId:long}", "1", StringComparison.Ordinal);
            // Each endpoint has its own partition per client address: a fresh client, the same address, a fresh count per policy and endpoint.
            using var client = Forms.Client(app);
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 10 && refused is null; i++)
            {
                using var content = new FormUrlEncodedContent([]);
                var response = await client.PostAsync(url, content);
                if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            }
            Assert.True(refused is not null, $"{url} never answered 429");
            var retry = refused.Headers.RetryAfter?.Delta;
            Assert.True(retry is { TotalSeconds: > 0 and <= 60 }, $"{url}: Retry-After {refused.Headers.RetryAfter}");
            _ = int.Parse(refused.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task Changing_the_address_is_limited_per_reader_but_reading_the_account_page_is_not()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["RateLimits:AuthPermitLimit"] = "3" });
        using var reader = await TestAccounts.SignedInAsync(app, "limited@example.org");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await reader.SubmitAsync("/account", "form.change-email", new Dictionary<string, string> { ["newEmail"] = $"new{i}@example.org" })).StatusCode);
        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect], statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/account")).StatusCode);
    }
}
