using System.Net;
using AngleSharp.Html.Parser;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Pages;

[Collection(CatalogWithDaysCollection.Name)]
public sealed class DayPageTests(CatalogWithDays catalog)
{
    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> GetPageAsync(PaperFeedApp app, string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_day_shows_its_papers_ranked_by_upvotes_with_links_to_the_neighbouring_days(DatabaseProvider provider)
    {
        var page = await GetPageAsync(catalog[provider], "/papers/date/2026-06-12");

        Assert.Equal("Friday, 12 June 2026", page.QuerySelector("h1")!.TextContent.Trim());
        var titles = page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["Sparse Mixtures of Tiny Experts for Long-Context Reasoning", "Symmetry-Aware Reward Models",
            "<script>alert('xss')</script> Entropy Bounds for Diffusion Samplers"], titles);
        Assert.Equal("/papers/2606.01001", page.QuerySelector("article .card-title a")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector("a[rel=prev]"));
        Assert.Equal("/papers/date/2026-06-15", page.QuerySelector("a[rel=next]")!.GetAttribute("href"));

        var first = page.QuerySelector("article")!;
        Assert.Contains("Ada Lovelace, Alan Turing, Grace Hopper, Edsger Dijkstra +2", first.TextContent);
        Assert.Contains("Example Lab", first.TextContent);
        Assert.Contains("Tiny sparse experts reason over long contexts", first.TextContent);
        Assert.Equal("https://arxiv.org/pdf/2606.01001", first.QuerySelector("a[href*='/pdf/']")!.GetAttribute("href"));
        Assert.Contains("★ 128", first.QuerySelector("a[href^='https://github.com/']")!.TextContent);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_home_page_shows_the_latest_day_and_previous_skips_empty_days(DatabaseProvider provider)
    {
        var page = await GetPageAsync(catalog[provider], "/");

        Assert.Equal("Monday, 15 June 2026", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("/papers/date/2026-06-12", page.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
        Assert.Single(page.QuerySelectorAll("article"));
    }

    [Fact]
    public async Task An_empty_day_says_why()
    {
        var page = await GetPageAsync(catalog[DatabaseProvider.Sqlite], "/papers/date/2026-06-13");

        Assert.Equal("No papers for this day", page.QuerySelector("section.empty h2")!.TextContent);
        Assert.Contains("weekend", page.QuerySelector("section.empty")!.TextContent);
        Assert.Equal("/papers/date/2026-06-12", page.QuerySelector("a[rel=prev]")!.GetAttribute("href"));
        Assert.Equal("/papers/date/2026-06-15", page.QuerySelector("a[rel=next]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task With_no_listed_day_the_message_tells_an_empty_catalog_from_papers_found_only_by_search()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var empty = (await GetPageAsync(app, "/")).QuerySelector("section.empty")!.TextContent;
        Assert.Contains("The catalog is empty.", empty);
        Assert.Contains("import command", empty);

        // What an import of arXiv API (Atom) files leaves: papers with no listing on any day.
        await app.WithDbAsync(async db =>
        {
            foreach (var id in new[] { "2606.07001", "2606.07002" })
                db.Papers.Add(new PaperFeed.Papers.Paper { Key = id, ArxivId = id, Title = "Paper " + id, NormalizedTitle = "paper " + id });
            return await db.SaveChangesAsync();
        });
        foreach (var path in new[] { "/", "/papers/date/2026-06-10" })
        {
            var text = (await GetPageAsync(app, path)).QuerySelector("section.empty")!.TextContent;
            Assert.DoesNotContain("The catalog is empty", text);
            Assert.Contains("2 papers are in the catalog and can be found by search", text);
            Assert.Contains("backfill command", text);
        }
    }

    [Fact]
    public async Task A_script_in_a_scraped_title_is_shown_as_text_never_run()
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var html = await client.GetStringAsync("/papers/date/2026-06-12");

        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert(", html);
    }

    [Theory]
    [InlineData("/papers/date/2026-13-45")]
    [InlineData("/papers/date/yesterday")]
    [InlineData("/papers/2606.99999")]
    [InlineData("/papers/not-an-id")]
    [InlineData("/no/such/page")]
    public async Task Unknown_days_and_papers_get_a_friendly_404(string path)
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html);
        Assert.DoesNotContain("Exception", html);
    }
}
