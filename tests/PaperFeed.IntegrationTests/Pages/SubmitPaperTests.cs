using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Accounts;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>/papers/submit with a loopback server playing the arXiv API: a reader's paper joins today's Featured list.</summary>
public sealed class SubmitPaperTests : IAsyncLifetime
{
    private const string Known = "2611.04321";
    private const string Unknown = "2611.09999";
    private const string Broken = "2611.00500";
    private const string Form = "main form[method=post]";
    private LoopbackServer _arxiv = null!;

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        _arxiv.Map("/api/query", async context =>
        {
            context.Response.ContentType = "application/atom+xml; charset=utf-8";
            var id = context.Request.Query["id_list"].ToString();
            if (id == Known) await context.Response.WriteAsync(Feed(1, Entry(Known)));
            else if (id == Unknown) await context.Response.WriteAsync(Feed(0, ""));
            else if (id == Broken) context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            // arXiv's answer to an id it cannot read: an error entry.
            else await context.Response.WriteAsync(Feed(1, $"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{id}</id><title>Error</title><summary>incorrect id format for {id}</summary></entry>"));
        });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    private static string Feed(int total, string entries) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
          <id>https://arxiv.org/api/test</id><title>arXiv Query</title><updated>2026-11-25T00:00:00Z</updated>
          <opensearch:totalResults>{total}</opensearch:totalResults>
          {entries}
        </feed>
        """;

    private static string Entry(string id) => $"""
        <entry>
          <id>http://arxiv.org/abs/{id}v2</id>
          <title>Reader-Picked Papers Are Worth Reading</title>
          <updated>2026-11-24T10:00:00Z</updated>
          <summary>We show that papers chosen by readers are read.</summary>
          <published>2026-11-23T18:00:00Z</published>
          <arxiv:primary_category term="cs.DL"/>
          <category term="cs.DL" scheme="http://arxiv.org/schemas/atom"/>
          <author><name>Ada Lovelace</name></author>
        </entry>
        """;

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider) => PaperFeedApp.StartAsync(provider, new Dictionary<string, string?>
    {
        ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query",
        ["RateLimits:AuthPermitLimit"] = "1000",
    });

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string paper) =>
        client.SubmitAsync("/papers/submit", Form, new Dictionary<string, string> { ["Paper"] = paper });

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelector("main [role=alert]")?.TextContent.Trim() ?? throw new InvalidOperationException("no refusal shown");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_submitted_paper_is_featured_today_with_its_submitter_and_a_duplicate_is_refused(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await AccountFlowTests.SeedDayAsync(app);
        var client = await TestAccounts.SignedInAsync(app, "ada@example.org");
        Assert.NotNull((await client.GetPageAsync("/papers/date/2026-06-12")).QuerySelector("main a[href='/papers/submit']"));

        var response = await SubmitAsync(client, $"https://arxiv.org/abs/{Known}v2");
        Assert.Equal($"/papers/{Known}", response.RedirectTarget());
        var details = await client.GetPageAsync($"/papers/{Known}");
        Assert.Contains("is on today's list", details.QuerySelector("main [role=status]")!.TextContent);
        Assert.Contains("ada", details.QuerySelector("dl.facts")!.TextContent);
        Assert.DoesNotContain("ada@example.org", details.DocumentElement.OuterHtml);

        // Today's Featured tab (the default) shows it, with who submitted it.
        var today = await Forms.Client(app).GetPageAsync($"/papers/date/{Today}");
        var card = today.QuerySelectorAll("article.card").Single(c => c.TextContent.Contains("Reader-Picked Papers Are Worth Reading", StringComparison.Ordinal));
        Assert.Equal("submitted by ada", card.QuerySelector(".submitted-by")!.TextContent.Trim());

        var source = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Name == PaperSubmission.SourceName));
        Assert.Equal((SourceKind.Import, true, false), (source.Kind, source.Curated, source.Enabled));

        // The same paper again, by any of its links: refused before arXiv is asked, nothing added.
        var asked = _arxiv.Requests.Count;
        foreach (var again in new[] { Known, $"https://huggingface.co/papers/{Known}", $"https://arxiv.org/pdf/{Known}v1" })
            Assert.Contains("already submitted today", await RefusalAsync(await SubmitAsync(client, again)));
        Assert.Equal(asked, _arxiv.Requests.Count);
        Assert.Equal(1, await app.WithDbAsync(db => db.Listings.CountAsync(l => l.Paper.ArxivId == Known)));

        // A paper another source listed today is not submitted twice either.
        var hfPaper = await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == "2606.01001").Select(p => p.Id).SingleAsync());
        await app.WithDbAsync(db => db.Listings.Where(l => l.PaperId == hfPaper).ExecuteUpdateAsync(s => s.SetProperty(l => l.Day, DateOnly.FromDateTime(DateTime.UtcNow))));
        Assert.Contains("already on today's list", await RefusalAsync(await SubmitAsync(client, "2606.01001")));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("../etc/passwd")]
    [InlineData("https://example.org/abs/2611.04321x")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("LONG")]
    public async Task Malformed_input_is_refused_without_asking_arxiv(string input)
    {
        if (input == "LONG") input = "2611.04321 " + new string('x', 10_000);
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var client = await TestAccounts.SignedInAsync(app, "typo@example.org");

        var response = await SubmitAsync(client, input);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("not an arXiv id or link", await RefusalAsync(response));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.True(html.Length < 20_000, "the page echoes the whole 10 kB paste");
        Assert.Empty(_arxiv.Requests);
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Fact]
    public async Task Unknown_ids_and_arxiv_failures_are_explained()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var client = await TestAccounts.SignedInAsync(app, "curious@example.org");

        Assert.Contains($"arXiv has no paper {Unknown}", await RefusalAsync(await SubmitAsync(client, Unknown)));
        Assert.Contains("arXiv has no paper 2611.00001", await RefusalAsync(await SubmitAsync(client, "arXiv:2611.00001")));
        Assert.Contains("arXiv did not answer", await RefusalAsync(await SubmitAsync(client, Broken)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Fact]
    public async Task Signed_out_readers_are_sent_to_sign_in()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var anonymous = Forms.Client(app);
        var get = await anonymous.GetAsync("/papers/submit");
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);
        Assert.Contains("/account/login?ReturnUrl=%2Fpapers%2Fsubmit", get.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Paper"] = Known });
        var post = await anonymous.PostAsync("/papers/submit", content);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("/account/login", post.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Empty(_arxiv.Requests);
        // Signed out, the day page offers no submit link.
        await AccountFlowTests.SeedDayAsync(app);
        Assert.Null((await anonymous.GetPageAsync("/papers/date/2026-06-12")).QuerySelector("main a[href='/papers/submit']"));
    }
}
