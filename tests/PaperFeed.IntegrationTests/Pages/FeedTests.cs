using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>Every list view is also Atom, RSS 2.0 and JSON Feed 1.1, with the view's papers and absolute links.</summary>
[Collection(CatalogWithDaysCollection.Name)]
public sealed class FeedTests(CatalogWithDays catalog)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    private async Task<(string Body, string ContentType)> GetAsync(string path)
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType!.MediaType!);
    }

    [Fact]
    public async Task An_empty_list_is_an_empty_feed_updated_now_never_in_1970()
    {
        var (body, _) = await GetAsync("/papers/week/2026-W20?format=atom");

        var feed = XDocument.Parse(body).Root!;
        Assert.Empty(feed.Elements(Atom + "entry"));
        var updated = DateTimeOffset.Parse(feed.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(updated, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    [Theory]
    [InlineData("/papers/date/2026-06-12", 3)]
    [InlineData("/papers/week/2026-W24", 3)]
    [InlineData("/papers/month/2026-06", 4)]
    [InlineData("/papers/month/2026-06?sort=new", 4)]
    public async Task Atom_has_one_entry_per_paper_with_absolute_links(string view, int count)
    {
        var (body, type) = await GetAsync(view + (view.Contains('?') ? "&" : "?") + "format=atom");

        Assert.Equal("application/atom+xml", type);
        var feed = XDocument.Parse(body).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.False(string.IsNullOrEmpty(feed.Element(Atom + "title")?.Value));
        Assert.NotNull(feed.Element(Atom + "updated"));
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal(count, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.StartsWith("http://localhost/papers/", e.Element(Atom + "id")!.Value);
            Assert.NotNull(e.Element(Atom + "updated"));
            Assert.NotEmpty(e.Elements(Atom + "author"));
        });
        Assert.Contains(entries, e => e.Element(Atom + "title")!.Value == "Sparse Mixtures of Tiny Experts for Long-Context Reasoning");
    }

    [Fact]
    public async Task Rss_items_carry_title_link_guid_and_date_and_a_scraped_script_stays_text()
    {
        var (body, type) = await GetAsync("/papers/date/2026-06-12?format=rss");

        Assert.Equal("application/rss+xml", type);
        var channel = XDocument.Parse(body).Root!.Element("channel")!;
        var items = channel.Elements("item").ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.True(DateTimeOffset.TryParse(i.Element("pubDate")!.Value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)));
        Assert.Contains(items, i => i.Element("title")!.Value == "<script>alert('xss')</script> Entropy Bounds for Diffusion Samplers");
        Assert.DoesNotContain("<script>", body);
    }

    [Fact]
    public async Task Json_feed_1_1_lists_the_papers_in_the_views_order()
    {
        var (body, type) = await GetAsync("/papers/month/2026-06?format=json");

        Assert.Equal("application/feed+json", type);
        var feed = JsonDocument.Parse(body).RootElement;
        Assert.Equal("https://jsonfeed.org/version/1.1", feed.GetProperty("version").GetString());
        var titles = feed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()).ToList();
        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", titles[0]);
        Assert.Equal(4, titles.Count);
        Assert.All(feed.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("http://localhost/papers/", i.GetProperty("url").GetString()));
    }

    [Theory]
    [InlineData("/papers/date/2026-06-12")]
    [InlineData("/papers/week/2026-W24")]
    public async Task Each_view_links_its_feeds_from_the_head_and_from_a_visible_button(string view)
    {
        var (html, _) = await GetAsync(view);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);

        var alternates = page.QuerySelectorAll("head link[rel=alternate]").Select(l => l.GetAttribute("type")).ToList();
        Assert.Equal(["application/atom+xml", "application/rss+xml", "application/feed+json"], alternates);
        Assert.NotNull(page.QuerySelector("main a[href$='format=atom']"));
    }

    [Fact]
    public async Task An_unknown_feed_format_is_a_400()
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/papers/week/2026-W24?format=pdf")).StatusCode);
    }
}
