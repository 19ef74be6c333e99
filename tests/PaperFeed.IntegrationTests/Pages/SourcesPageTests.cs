using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>The /sources admin pages, as an administrator, a signed-in reader and an anonymous visitor.</summary>
public sealed class SourcesPageTests : IAsyncLifetime
{
    private const string HuggingFace = "Hugging Face Daily Papers";
    private const string ArxivCl = "arXiv cs.CL (Computation and Language)";
    private PaperFeedApp _app = null!;

    public async Task InitializeAsync() => _app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<Source> SourceAsync(string name) =>
        _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Name == name));

    private static AngleSharp.Dom.IElement Row(AngleSharp.Html.Dom.IHtmlDocument page, string name) =>
        page.QuerySelectorAll("tr[data-source]").Single(r => r.QuerySelector("strong")!.TextContent == name);

    private static string FormOf(int sourceId, string handler) => $"tr[data-source='{sourceId}'] form[action*='handler={handler}']";

    private long EnqueuedJobs() => _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount("default");

    [Fact]
    public async Task The_page_lists_the_seeded_sources_with_their_kind_and_that_they_have_not_run()
    {
        using var client = await TestAccounts.AdminAsync(_app);
        var page = await client.GetPageAsync("/sources");

        var rows = page.QuerySelectorAll("tr[data-source]");
        Assert.Equal(
            [HuggingFace, "arXiv cs.AI (Artificial Intelligence)", ArxivCl, "arXiv cs.CV (Computer Vision)", "arXiv cs.LG (Machine Learning)"],
            rows.Select(r => r.QuerySelector("strong")!.TextContent).Order(StringComparer.Ordinal));
        Assert.Equal("HuggingFacePage", Row(page, HuggingFace).QuerySelector("span.muted")!.TextContent);
        Assert.Equal("ArxivRss", Row(page, ArxivCl).QuerySelector("span.muted")!.TextContent);
        Assert.All(rows, r => Assert.Equal("Not run yet", r.QuerySelector("td:nth-child(5) span")!.TextContent));
        Assert.All(rows, r => Assert.Equal("Pause", r.QuerySelector("form[action*='handler=Pause'] button")!.TextContent));
    }

    [Fact]
    public async Task A_failing_source_shows_how_often_it_failed_and_its_error()
    {
        await _app.WithDbAsync(db => db.Sources.Where(s => s.Name == ArxivCl).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.ConsecutiveFailures, 2)
            .SetProperty(x => x.LastError, "HTTP 503 Service Unavailable from rss.arxiv.org")));
        using var client = await TestAccounts.AdminAsync(_app);

        var page = await client.GetPageAsync("/sources");

        var row = Row(page, ArxivCl);
        Assert.Equal("Failing (2 in a row)", row.QuerySelector(".status-failing")!.TextContent);
        Assert.Equal("HTTP 503 Service Unavailable from rss.arxiv.org", row.QuerySelector(".last-error")!.TextContent);
        Assert.Null(Row(page, HuggingFace).QuerySelector(".status-failing"));
    }

    [Theory]
    [InlineData("/sources")]
    [InlineData("/sources/edit")]
    [InlineData("/sources/edit/1")]
    public async Task A_reader_is_refused_the_pages_and_an_anonymous_visitor_is_sent_to_sign_in(string path)
    {
        using var reader = await TestAccounts.SignedInAsync(_app, "reader@example.org");
        using var anonymous = Forms.Client(_app);

        var response = await reader.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("unset-seed", html); // no source address
        Assert.DoesNotContain("name=\"Input.Url\"", html); // no source form
        Assert.DoesNotContain("Fetch now", html);
        Assert.StartsWith("/account/login?ReturnUrl=", (await anonymous.GetAsync(path)).RedirectPath());
    }

    [Fact]
    public async Task A_reader_or_anonymous_visitor_with_a_valid_form_cannot_pause_fetch_or_add()
    {
        var hf = await SourceAsync(HuggingFace);
        using var admin = await TestAccounts.AdminAsync(_app);
        // The forms are the administrator's; each client puts in an antiforgery token of its own, so only the role differs.
        var pause = await admin.FindFormAsync("/sources", FormOf(hf.Id, "Pause"));
        var fetch = await admin.FindFormAsync("/sources", FormOf(hf.Id, "Fetch"));
        var add = await admin.FindFormAsync("/sources/edit", "form.form");
        var sneaky = new Dictionary<string, string>
        {
            ["Input.Name"] = "Sneaky", ["Input.Kind"] = ((int)SourceKind.Feed).ToString(), ["Input.Url"] = "http://127.0.0.1:9/feed.xml",
        };
        var jobsBefore = EnqueuedJobs();
        using var reader = await TestAccounts.SignedInAsync(_app, "reader@example.org");
        using var anonymous = Forms.Client(_app);

        foreach (var (client, expected) in new[] { (reader, HttpStatusCode.Forbidden), (anonymous, HttpStatusCode.Redirect) })
        {
            Assert.Equal(expected, (await client.PostFormAsync(await client.WithOwnTokenAsync(pause))).StatusCode);
            Assert.Equal(expected, (await client.PostFormAsync(await client.WithOwnTokenAsync(fetch))).StatusCode);
            var response = await client.PostFormAsync(await client.WithOwnTokenAsync(add), sneaky);
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.Redirect) Assert.StartsWith("/account/login", response.RedirectPath());
        }

        Assert.True((await SourceAsync(HuggingFace)).Enabled);
        Assert.Equal(jobsBefore, EnqueuedJobs());
        Assert.Equal(5, await _app.WithDbAsync(db => db.Sources.CountAsync()));
    }

    [Fact]
    public async Task A_source_added_through_the_form_is_listed_and_stored_as_user_added()
    {
        using var client = await TestAccounts.AdminAsync(_app);

        var response = await client.SubmitAsync("/sources/edit", "form.form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Example lab blog",
            ["Input.Kind"] = ((int)SourceKind.Feed).ToString(),
            ["Input.Url"] = "http://127.0.0.1:9/feed.xml",
            ["Input.IntervalMinutes"] = "120",
        });

        Assert.Equal("/sources", response.RedirectTarget());
        var page = await client.GetPageAsync("/sources");
        Assert.Equal("Example lab blog saved.", page.QuerySelector("p.notice")!.TextContent);
        var row = Row(page, "Example lab blog");
        Assert.Equal("Feed", row.QuerySelector("span.muted")!.TextContent);
        Assert.Equal("http://127.0.0.1:9/feed.xml", row.QuerySelector(".address")!.TextContent);
        var stored = await SourceAsync("Example lab blog");
        Assert.True(stored.UserAdded);
        Assert.True(stored.Enabled);
        Assert.False(stored.Curated);
        Assert.Equal(SourceKind.Feed, stored.Kind);
        Assert.Equal(120, stored.IntervalMinutes);
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/feed.xml")]
    public async Task A_source_with_an_address_that_is_not_http_is_refused_with_the_reason(string url)
    {
        using var client = await TestAccounts.AdminAsync(_app);

        var response = await client.SubmitAsync("/sources/edit", "form.form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Not a web feed",
            ["Input.Kind"] = ((int)SourceKind.Feed).ToString(),
            ["Input.Url"] = url,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Use an http:// or https:// address.", page.QuerySelector(".field-error[data-valmsg-for='Input.Url']")!.TextContent);
        Assert.Equal(url, page.QuerySelector("input[name='Input.Url']")!.GetAttribute("value"));
        Assert.False(await _app.WithDbAsync(db => db.Sources.AnyAsync(s => s.Name == "Not a web feed")));
    }

    [Theory]
    [InlineData(HuggingFace)]
    [InlineData("  " + HuggingFace + " ")]
    public async Task A_source_cannot_take_the_name_of_another(string name)
    {
        using var client = await TestAccounts.AdminAsync(_app);

        var response = await client.SubmitAsync("/sources/edit", "form.form", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Kind"] = ((int)SourceKind.Feed).ToString(), ["Input.Url"] = "http://127.0.0.1:9/feed.xml",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("Another source has this name.", page.QuerySelector(".field-error[data-valmsg-for='Input.Name']")!.TextContent);
        Assert.Equal(5, await _app.WithDbAsync(db => db.Sources.CountAsync()));
    }

    [Fact]
    public async Task Editing_a_source_shows_its_settings_and_saves_the_changes()
    {
        var hf = await SourceAsync(HuggingFace);
        using var client = await TestAccounts.AdminAsync(_app);
        var form = await client.FindFormAsync($"/sources/edit/{hf.Id}", "form.form");
        Assert.Equal(HuggingFace, form.Fields["Input.Name"]);
        Assert.Equal(((int)SourceKind.HuggingFacePage).ToString(), form.Fields["Input.Kind"]);
        Assert.Equal("60", form.Fields["Input.IntervalMinutes"]);
        Assert.Equal("true", form.Fields["Input.Curated"]);

        var response = await client.PostFormAsync(form, new Dictionary<string, string> { ["Input.IntervalMinutes"] = "30" });

        Assert.Equal("/sources", response.RedirectTarget());
        var stored = await SourceAsync(HuggingFace);
        Assert.Equal(30, stored.IntervalMinutes);
        Assert.True(stored.Curated);
        Assert.False(stored.UserAdded);
        Assert.Equal(hf.Url, stored.Url);
        Assert.Equal(5, await _app.WithDbAsync(db => db.Sources.CountAsync()));
    }

    [Fact]
    public async Task Editing_a_source_that_does_not_exist_is_a_404()
    {
        using var client = await TestAccounts.AdminAsync(_app);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/sources/edit/999")).StatusCode);
    }

    [Fact]
    public async Task Pause_then_resume_flips_the_source_and_the_button()
    {
        var id = (await SourceAsync(ArxivCl)).Id;
        using var client = await TestAccounts.AdminAsync(_app);

        Assert.Equal("/sources", (await client.SubmitAsync("/sources", FormOf(id, "Pause"))).RedirectTarget());
        var page = await client.GetPageAsync("/sources");
        Assert.Equal("Source paused.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Equal("Resume", Row(page, ArxivCl).QuerySelector("form[action*='handler=Pause'] button")!.TextContent);
        Assert.Equal("Paused", Row(page, ArxivCl).QuerySelector(".status-paused")!.TextContent);
        Assert.False((await SourceAsync(ArxivCl)).Enabled);
        Assert.True((await SourceAsync(HuggingFace)).Enabled);

        Assert.Equal("/sources", (await client.SubmitAsync("/sources", FormOf(id, "Pause"))).RedirectTarget());
        page = await client.GetPageAsync("/sources");
        Assert.Equal("Source resumed.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Equal("Pause", Row(page, ArxivCl).QuerySelector("form[action*='handler=Pause'] button")!.TextContent);
        Assert.True((await SourceAsync(ArxivCl)).Enabled);
    }

    [Fact]
    public async Task Fetch_now_queues_a_job_for_that_source_and_says_so()
    {
        var id = (await SourceAsync(HuggingFace)).Id;
        using var client = await TestAccounts.AdminAsync(_app);
        // A job server elsewhere (another instance) announces itself in the shared storage.
        using (var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection())
            connection.AnnounceServer("worker-elsewhere", new Hangfire.Server.ServerContext { Queues = ["default"], WorkerCount = 1 });
        Assert.Null((await client.GetPageAsync("/sources")).QuerySelector("#no-job-server"));
        var before = EnqueuedJobs();

        var response = await client.SubmitAsync("/sources", FormOf(id, "Fetch"));

        Assert.Equal("/sources", response.RedirectTarget());
        Assert.Equal(before + 1, EnqueuedJobs());
        var job = _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 10).Single().Value.Job;
        Assert.Equal(typeof(SourceRunner), job.Type);
        Assert.Equal(id, job.Args[0]);
        var page = await client.GetPageAsync("/sources");
        Assert.Equal("Hugging Face Daily Papers will be fetched in a moment.", page.QuerySelector("p.notice")!.TextContent);
        // The message is shown once.
        Assert.Null((await client.GetPageAsync("/sources")).QuerySelector("p.notice"));
        using (var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection())
            connection.RemoveServer("worker-elsewhere");
    }

    [Fact]
    public async Task Without_a_job_server_anywhere_fetch_now_and_the_page_say_that_nothing_will_run()
    {
        var id = (await SourceAsync(HuggingFace)).Id;
        using var client = await TestAccounts.AdminAsync(_app);

        var response = await client.SubmitAsync("/sources", FormOf(id, "Fetch"));

        Assert.Equal("/sources", response.RedirectTarget());
        var page = await client.GetPageAsync("/sources");
        Assert.Equal("Hugging Face Daily Papers is queued. " + PaperFeed.Jobs.JobServers.NoServer, page.QuerySelector("p.notice")!.TextContent);
        var warning = page.QuerySelector("#no-job-server")!.TextContent;
        Assert.Contains("No job server is running", warning);
        Assert.Contains("lost when the app restarts", warning); // SQLite: in-memory job storage
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var id = (await SourceAsync(HuggingFace)).Id;
        using var client = await TestAccounts.AdminAsync(_app);
        var form = await client.FindFormAsync("/sources", FormOf(id, "Pause"));
        Assert.True(form.Fields.Remove(HtmlForm.TokenField));
        var before = EnqueuedJobs();

        var response = await client.PostFormAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await SourceAsync(HuggingFace)).Enabled);
        Assert.Equal(before, EnqueuedJobs());
    }
}
