using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// Stored XSS: the payloads of <see cref="SecuritySite.Payloads"/> arrived through the real fetch and ingest (and the
/// topic form); every page, feed, API answer and email that shows them must show them as text and run nothing.
/// </summary>
[Collection(SecuritySiteCollection.Name)]
public sealed class XssTests(SecuritySite site)
{
    private static readonly string Week = "2026-W" + ISOWeek.GetWeekOfYear(new DateTime(2026, 6, 11)).ToString("00", CultureInfo.InvariantCulture);

    /// <summary>Every HTML page that shows scraped text or a reader's query (the paper pages are added per paper).</summary>
    public static TheoryData<string> Pages() =>
    [
        "/", "/papers/date/2026-06-11", "/papers/date/2026-06-11?tab=all", $"/papers/week/{Week}", "/papers/month/2026-06",
        "/papers/trending", "/topics", $"/topics/{SecuritySite.TopicSlug}", "/search?q=zebrafish", "/search?q=author%3Aada",
        "/digest/preview", "/papers/date/2026-06-11?tab=all&q=" + Uri.EscapeDataString(SecuritySite.Payloads["script"] + " zebrafish"),
        "/search?q=" + Uri.EscapeDataString(SecuritySite.Payloads["event handler"] + " zebrafish"),
        "/search?q=" + Uri.EscapeDataString(SecuritySite.Payloads["attribute breakout"]),
        "/search?q=" + Uri.EscapeDataString("\"" + SecuritySite.Payloads["svg"] + "\""),
        $"/topics/{SecuritySite.TopicSlug}?q=" + Uri.EscapeDataString(SecuritySite.Payloads["javascript url"]),
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Payloads_on_a_page_are_shown_as_text_and_run_nothing(string path)
    {
        using var client = site.App.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        var document = Inert.AssertHtml(await response.Content.ReadAsStringAsync(), path);

        // Not vacuous: the page did show attacker text, as text.
        Assert.Contains(SecuritySite.Payloads.Values, p => document.DocumentElement.TextContent.Contains(p, StringComparison.Ordinal)
            || (document.QuerySelector("iframe")?.GetAttribute("srcdoc") ?? "").Contains("Zebrafish", StringComparison.Ordinal)
            || document.QuerySelectorAll("input").Any(i => (i.GetAttribute("value") ?? "").Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_paper_page_and_the_account_and_admin_pages_show_payloads_as_text()
    {
        var ids = await site.App.WithDbAsync(db => db.Papers.Where(p => p.ArxivId != null && p.ArxivId.StartsWith("2606.2")).Select(p => new { p.Id, p.ArxivId }).ToListAsync());
        Assert.Equal(SecuritySite.Payloads.Count, ids.Count);
        using var reader = site.App.CreateClient();
        foreach (var (paper, i) in ids.Select((p, i) => (p, i)))
        {
            var page = Inert.AssertHtml(await reader.GetStringAsync($"/papers/{paper.ArxivId}"), $"/papers/{paper.ArxivId}");
            Assert.Contains("Zebrafish", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
            // The javascript:, data: and vbscript: links were dropped at ingest: no Code or Project page button at all.
            Assert.DoesNotContain(page.QuerySelectorAll("a"), a => a.TextContent.Contains("Project page", StringComparison.Ordinal));
            // The reader votes and saves it, so that the account page lists it.
            await site.Reader.PostFormAsync(await Forms.VoteFormAsync(site.Reader, $"/papers/{paper.ArxivId}", paper.Id), new Dictionary<string, string> { ["up"] = "true" });
            await site.Reader.SubmitAsync($"/papers/{paper.ArxivId}", $"form.save-form[action='/save/{paper.Id}']");
        }
        foreach (var path in new[] { "/account" })
            Inert.AssertHtml(await site.Reader.GetStringAsync(path), path);
        var export = await site.Reader.GetAsync("/account/export");
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var topicId = await site.App.WithDbAsync(db => db.Topics.Where(t => t.Slug == SecuritySite.TopicSlug).Select(t => t.Id).SingleAsync());
        foreach (var path in new[] { "/topics/edit", $"/topics/edit/{topicId}", "/sources", "/admin/users" })
            Inert.AssertHtml(await site.Admin.GetStringAsync(path), path);
    }

    [Fact]
    public async Task Links_that_are_not_http_are_dropped_at_ingest()
    {
        var links = await site.App.WithDbAsync(db => db.Papers.Where(p => p.ArxivId != null && p.ArxivId.StartsWith("2606.2"))
            .Select(p => new { p.GithubRepo, p.ProjectPage, p.Thumbnail }).ToListAsync());
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.Equal((null, null, null), (l.GithubRepo, l.ProjectPage, l.Thumbnail)));
    }

    public static TheoryData<string> Feeds() =>
    [
        "/papers/date/2026-06-11?tab=all&format=", $"/papers/week/{Week}?format=", $"/topics/{SecuritySite.TopicSlug}?format=",
        "/search?q=zebrafish&format=", "/papers/trending?format=",
    ];

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task Atom_and_rss_carry_payloads_as_text_that_a_reader_shows_as_text(string path)
    {
        using var client = site.App.CreateClient();
        var atom = XDocument.Parse(await client.GetStringAsync(path + "atom"));
        XNamespace a = "http://www.w3.org/2005/Atom";
        var entries = atom.Root!.Elements(a + "entry").ToList();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            // Atom says what a text construct is: type="text" (or none) is shown as text, never parsed as HTML.
            foreach (var text in new[] { entry.Element(a + "title"), entry.Element(a + "summary") }.Where(e => e is not null))
                Assert.Contains(text!.Attribute("type")?.Value ?? "text", new[] { "text" });
            Assert.All(entry.Elements(a + "link"), l => Assert.StartsWith("http", l.Attribute("href")!.Value, StringComparison.Ordinal));
        }
        Assert.Contains(entries, e => SecuritySite.Payloads.Values.Any(p => e.Element(a + "title")!.Value.Contains(p, StringComparison.Ordinal)));

        var rss = XDocument.Parse(await client.GetStringAsync(path + "rss"));
        var items = rss.Root!.Element("channel")!.Elements("item").ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            // Readers render an RSS description as HTML: parsed that way it must still be text only.
            var description = item.Element("description")!.Value;
            var parsed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(description);
            Assert.Empty(parsed.Body!.Children);
            Assert.StartsWith("http", item.Element("link")!.Value, StringComparison.Ordinal);
        }
        Assert.Contains(items, i => SecuritySite.Payloads.Values.Any(p => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(i.Element("description")!.Value).Body!.TextContent.Contains(p, StringComparison.Ordinal)));

        var json = await client.GetAsync(path + "json");
        Assert.Equal("application/feed+json", json.Content.Headers.ContentType?.MediaType);
        using var feed = JsonDocument.Parse(await json.Content.ReadAsStringAsync());
        foreach (var item in feed.RootElement.GetProperty("items").EnumerateArray())
        {
            Assert.False(item.TryGetProperty("content_html", out _), "JSON Feed items carry text, not HTML");
            Assert.StartsWith("http", item.GetProperty("url").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_api_answers_json_that_no_browser_reads_as_html()
    {
        using var client = site.App.CreateClient();
        foreach (var path in new[] { "/api/daily_papers?date=2026-06-11", $"/api/papers/{site.PaperIds[0]}" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var body = await response.Content.ReadAsStringAsync();
            // The payload is there as JSON text (HF's shape, not escaped further): JSON with nosniff is never rendered as a
            // page, and a script that reads it gets a string. No link field is a javascript: address.
            Assert.Contains("<script>alert('pf-script')</script>", JsonDocument.Parse(body).RootElement.ToString(), StringComparison.Ordinal);
            foreach (var link in SecuritySite.BadLinks) Assert.DoesNotContain(JsonSerializer.Serialize(link)[1..^1], body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_digest_email_shows_payloads_as_text_in_html_and_plain_text()
    {
        var html = Assert.Single(site.Digests, m => m.HtmlBody is not null);
        var document = Inert.AssertHtml(html.HtmlBody!, "digest HTML", email: true);
        Assert.Contains(SecuritySite.Payloads["script"], document.Body!.TextContent, StringComparison.Ordinal);
        Assert.All(document.QuerySelectorAll("a[href]"), a => Assert.StartsWith("https://", a.GetAttribute("href"), StringComparison.Ordinal));
        Assert.DoesNotContain("alert('pf-link')", html.HtmlBody, StringComparison.Ordinal);
        foreach (var message in site.Digests)
        {
            Assert.NotNull(message.TextBody);
            Assert.Contains(SecuritySite.Payloads["script"], message.TextBody, StringComparison.Ordinal);
            foreach (var link in SecuritySite.BadLinks) Assert.DoesNotContain(link, message.TextBody, StringComparison.Ordinal);
        }
    }

    /// <summary>A reader's comment holds every payload and bad link, in its body, its name and its report; nothing runs anywhere it shows.</summary>
    [Fact]
    public async Task A_comment_with_payloads_in_every_field_is_inert_on_the_page_and_in_the_email()
    {
        var paper = $"/papers/{site.PaperIds[0]}";
        var body = string.Join("\n\n", SecuritySite.Payloads.Values) + "\n\n" + string.Join(" ", SecuritySite.BadLinks.Select(l => $"[link]({l})"));
        using var reader = Forms.Client(site.App);
        await TestAccounts.SignInAsync(reader, SecuritySite.ReaderEmail);
        // A payload as the name: refused with its reason, the page that says so inert too.
        var refused = await reader.SubmitAsync(paper, "#discussion > form.comment-form",
            new Dictionary<string, string> { ["body"] = body, ["handle"] = SecuritySite.Payloads["script"] });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Inert.AssertHtml(await refused.Content.ReadAsStringAsync(), "comment refused");
        var posted = await reader.SubmitAsync(paper, "#discussion > form.comment-form", new Dictionary<string, string> { ["body"] = body, ["handle"] = "xss-reader" });
        var anchor = posted.RedirectTarget()[paper.Length..];
        Assert.Equal(HttpStatusCode.Redirect, (await site.Admin.SubmitAsync(paper, "#discussion > form.comment-form",
            new Dictionary<string, string> { ["body"] = "@xss-reader " + body, ["handle"] = "xss-admin" })).StatusCode);
        using var other = await TestAccounts.SignedInAsync(site.App, "xss-other@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await other.SubmitAsync(paper, $"{anchor} form[action*='handler=Report']",
            new Dictionary<string, string> { ["reason"] = SecuritySite.Payloads["event handler"] })).StatusCode);

        using var anonymous = site.App.CreateClient();
        foreach (var (who, client) in new[] { ("anonymous", anonymous), ("reader", reader), ("admin", site.Admin) })
        {
            var page = Inert.AssertHtml(await client.GetStringAsync(paper), $"{paper} as {who}");
            Assert.Contains(SecuritySite.Payloads["script"], page.QuerySelector($"{anchor} .comment-body")!.TextContent, StringComparison.Ordinal);
        }
        var mail = Assert.Single(site.Smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == SecuritySite.ReaderEmail) && (m.Subject ?? "").Contains("mentioned you", StringComparison.Ordinal));
        Assert.Null(mail.HtmlBody); // plain text: no markup for a mail client to run
        Assert.Contains(SecuritySite.Payloads["script"], mail.TextBody, StringComparison.Ordinal);
    }
}
