using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>
/// The day page's tabs, source filter and paging, on a day with 60 papers from an uncurated feed (one of them
/// upvoted past the Featured threshold) and 3 from the curated Hugging Face list.
/// </summary>
public sealed class DayTabsTests
{
    private const string Day = "/papers/date/2026-06-12";
    private static readonly DateOnly June12 = new(2026, 6, 12);
    private static readonly DateOnly June11 = new(2026, 6, 11);

    private sealed record Catalog(PaperFeedApp App, int FeedId, int HfId);

    private static async Task<Catalog> StartAsync(DatabaseProvider provider)
    {
        var app = await PaperFeedApp.StartAsync(provider);
        var feedId = await app.WithDbAsync(async db =>
        {
            var source = new Source { Name = "Test arXiv RSS", Kind = SourceKind.ArxivRss, Url = "http://127.0.0.1:9/rss", Curated = false };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });
        var hf = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Name == "Hugging Face Daily Papers"));
        Assert.True(hf.Curated);

        var announced = Enumerable.Range(0, 60).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{20000 + i}", Title = $"Announced paper {i:D2}", ListDay = June12, Upvotes = i == 0 ? 12 : i % 5,
        }).ToList();
        // An arXiv-only day: nothing curated, nothing upvoted.
        announced.AddRange(Enumerable.Range(0, 2).Select(i => new PaperRecord { ArxivId = $"2606.{10000 + i}", Title = $"Earlier paper {i}", ListDay = June11 }));
        var curated = Enumerable.Range(1, 3).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{30000 + i}", Title = $"Curated paper {i}", ListDay = June12, Upvotes = i,
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(feedId, announced));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(hf.Id, curated));
        return new Catalog(app, feedId, hf.Id);
    }

    private static List<string> Titles(IHtmlDocument page) =>
        page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent).ToList();

    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string CurrentTab(IHtmlDocument page) => Normalized(page.QuerySelector("nav.tabs a[aria-current='page']")!.TextContent);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Featured_shows_the_curated_papers_and_the_upvoted_one_and_the_tabs_count_both(DatabaseProvider provider)
    {
        var (app, _, _) = await StartAsync(provider);
        await using var _app = app;
        using var client = app.CreateClient();

        var page = await client.GetPageAsync(Day);

        Assert.Equal(["Announced paper 00", "Curated paper 3", "Curated paper 2", "Curated paper 1"], Titles(page));
        Assert.Equal(["Featured 4", "All new 63"], page.QuerySelectorAll("nav.tabs a").Select(a => Normalized(a.TextContent)));
        Assert.Equal("Featured 4", CurrentTab(page));
        Assert.Equal("/papers/date/2026-06-12?tab=all", page.QuerySelectorAll("nav.tabs a")[1].GetAttribute("href"));
        Assert.Equal("4 papers", page.QuerySelector("p.count")!.TextContent);
        Assert.Null(page.QuerySelector("nav.pagination"));
        Assert.Null(page.QuerySelector("form.filters"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task All_new_pages_its_papers_fifty_at_a_time(DatabaseProvider provider)
    {
        var (app, _, _) = await StartAsync(provider);
        await using var _app = app;
        using var client = app.CreateClient();

        var first = await client.GetPageAsync(Day + "?tab=all");

        Assert.Equal("All new 63", CurrentTab(first));
        Assert.Equal(50, first.QuerySelectorAll("article").Length);
        Assert.Equal("Announced paper 00", Titles(first)[0]);
        Assert.Equal("63 papers · page 1 of 2", first.QuerySelector("p.count")!.TextContent);
        Assert.Null(first.QuerySelector("nav.pagination a[rel=prev]"));
        var next = first.QuerySelector("nav.pagination a[rel=next]")!.GetAttribute("href")!;
        // The next page is read by key (after=), like every other list's.
        Assert.StartsWith("/papers/date/2026-06-12?tab=all&after=", next, StringComparison.Ordinal);

        var second = await client.GetPageAsync(next);

        Assert.Equal(13, second.QuerySelectorAll("article").Length);
        Assert.Equal("63 papers · page 2 of 2", second.QuerySelector("p.count")!.TextContent);
        Assert.Null(second.QuerySelector("nav.pagination a[rel=next]"));
        Assert.Equal("/papers/date/2026-06-12?tab=all", second.QuerySelector("nav.pagination a[rel=prev]")!.GetAttribute("href"));
        // Every paper of the day exactly once over the two pages.
        Assert.Equal(63, Titles(first).Concat(Titles(second)).Distinct().Count());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_source_filter_shows_only_that_sources_papers(DatabaseProvider provider)
    {
        var (app, feedId, hfId) = await StartAsync(provider);
        await using var _app = app;
        using var client = app.CreateClient();

        var all = await client.GetPageAsync(Day + "?tab=all");
        Assert.Equal(["", hfId.ToString(), feedId.ToString()], all.QuerySelectorAll("form.filters select[name=source] option").Select(o => o.GetAttribute("value")));
        Assert.Equal(["All sources", "Hugging Face Daily Papers (3)", "Test arXiv RSS (60)"],
            all.QuerySelectorAll("form.filters select[name=source] option").Select(o => o.TextContent));

        var curated = await client.GetPageAsync($"{Day}?tab=all&source={hfId}");

        Assert.Equal(["Curated paper 3", "Curated paper 2", "Curated paper 1"], Titles(curated));
        Assert.Equal("3 papers", curated.QuerySelector("p.count")!.TextContent);
        Assert.Equal(hfId.ToString(), curated.QuerySelector("select[name=source] option[selected]")!.GetAttribute("value"));

        var feed = await client.GetPageAsync($"{Day}?tab=all&source={feedId}");

        Assert.Equal(50, feed.QuerySelectorAll("article").Length);
        Assert.All(Titles(feed), t => Assert.StartsWith("Announced paper", t, StringComparison.Ordinal));
        Assert.Equal("60 papers · page 1 of 2", feed.QuerySelector("p.count")!.TextContent);
        var next = feed.QuerySelector("nav.pagination a[rel=next]")!.GetAttribute("href")!;
        Assert.StartsWith($"/papers/date/2026-06-12?tab=all&source={feedId}&after=", next, StringComparison.Ordinal);
        var feedPage2 = await client.GetPageAsync(next);
        Assert.Equal(10, feedPage2.QuerySelectorAll("article").Length);
        Assert.All(Titles(feedPage2), t => Assert.StartsWith("Announced paper", t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_day_with_nothing_curated_opens_on_all_new()
    {
        var (app, _, _) = await StartAsync(DatabaseProvider.Sqlite);
        await using var _app = app;
        using var client = app.CreateClient();

        var page = await client.GetPageAsync("/papers/date/2026-06-11");

        Assert.Equal("All new 2", CurrentTab(page));
        Assert.Equal("Featured 0", Normalized(page.QuerySelector("nav.tabs a")!.TextContent));
        Assert.Equal(["Earlier paper 1", "Earlier paper 0"], Titles(page));

        // Asked for explicitly, the empty Featured tab says where the papers are.
        var featured = await client.GetPageAsync("/papers/date/2026-06-11?tab=featured");
        Assert.Equal("Featured 0", CurrentTab(featured));
        Assert.Contains("see all new papers", featured.QuerySelector("section.empty")!.TextContent);
    }

    [Theory]
    [InlineData("?tab=bogus")]
    [InlineData("?page=0")]
    [InlineData("?tab=all&page=-1")]
    [InlineData("?page=100001")]
    public async Task A_bad_tab_or_page_is_a_400_never_a_500(string query)
    {
        var (app, _, _) = await StartAsync(DatabaseProvider.Sqlite);
        await using var _app = app;
        using var client = app.CreateClient();

        var response = await client.GetAsync(Day + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("That request was not understood", html);
        Assert.DoesNotContain("Exception", html);
    }

    [Theory]
    [InlineData("/papers/week/2026-W24?from=2026-06-14&to=2026-06-10", "In the address: from is after to.")]
    [InlineData(Day + "?from=yesterday", "In the address: from and to must be dates (YYYY-MM-DD).")]
    [InlineData("/papers/month/2026-06?sort=loudest", "In the address: sort must be")]
    public async Task A_bad_filter_says_what_is_wrong_with_it(string path, string reason)
    {
        var (app, _, _) = await StartAsync(DatabaseProvider.Sqlite);
        await using var _app = app;
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Contains(reason, page.QuerySelector("main")!.TextContent);
    }
}
