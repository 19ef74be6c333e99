using System.Net;
using AngleSharp.Html.Parser;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Pages;

[Collection(CatalogWithDaysCollection.Name)]
public sealed class PaperPageTests(CatalogWithDays catalog)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "/papers/2606.01001")]
    [InlineData(DatabaseProvider.Postgres, "/papers/2606.01001")]
    [InlineData(DatabaseProvider.Sqlite, "/papers/2606.01001v2")]
    public async Task The_paper_page_shows_the_full_abstract_all_authors_and_links(DatabaseProvider provider, string path)
    {
        using var client = catalog[provider].CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Ada Lovelace, Alan Turing, Grace Hopper, Edsger Dijkstra, Barbara Liskov, Donald Knuth", page.QuerySelector(".authors-full")!.TextContent);
        Assert.Contains("with a fraction of the compute of dense models.", page.QuerySelector(".abstract")!.TextContent);
        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", page.QuerySelector("meta[property='og:title']")!.GetAttribute("content"));
        Assert.NotNull(page.QuerySelector("a[href='https://github.com/example/tiny-experts']"));
        Assert.NotNull(page.QuerySelector("a[href='https://example.org/tiny-experts']"));
        Assert.NotNull(page.QuerySelector("a[href='/papers/date/2026-06-12']"));
    }
}
