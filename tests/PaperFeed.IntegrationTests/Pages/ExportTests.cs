using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Votes;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>
/// Every list view is also a BibTeX, RIS and CSL-JSON download (the formats themselves are unit-tested in
/// PaperFeed.Tests/Feeds), and a paper's page carries arXiv's citation_* meta tags.
/// </summary>
[Collection(CatalogWithDaysCollection.Name)]
public sealed class ExportTests(CatalogWithDays catalog)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "bibtex", "application/x-bibtex", ".bib")]
    [InlineData(DatabaseProvider.Postgres, "bibtex", "application/x-bibtex", ".bib")]
    [InlineData(DatabaseProvider.Sqlite, "ris", "application/x-research-info-systems", ".ris")]
    [InlineData(DatabaseProvider.Postgres, "ris", "application/x-research-info-systems", ".ris")]
    [InlineData(DatabaseProvider.Sqlite, "csl", "application/vnd.citationstyles.csl+json", ".json")]
    [InlineData(DatabaseProvider.Postgres, "csl", "application/vnd.citationstyles.csl+json", ".json")]
    public async Task A_days_list_downloads_as_a_citation_file_with_one_entry_per_paper(DatabaseProvider provider, string format, string type, string extension)
    {
        using var client = catalog[provider].CreateClient();
        var response = await client.GetAsync("/papers/date/2026-06-12?format=" + format);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.StartsWith("paperfeed-featured-papers-12-june-2026", disposition.FileName!.Trim('"'));
        Assert.EndsWith(extension, disposition.FileName!.Trim('"'));
        var body = await response.Content.ReadAsStringAsync();
        var ids = new[] { "2606.01001", "2606.01002", "2606.01003" };
        switch (format)
        {
            case "bibtex":
                Assert.Equal(3, body.Split("@misc{").Length - 1);
                Assert.All(ids, id => Assert.Contains($"eprint = {{{id}}}", body));
                break;
            case "ris":
                Assert.Equal(3, body.Split("\r\nER  - \r\n").Length - 1);
                Assert.All(ids, id => Assert.Contains($"M1  - arXiv:{id}\r\n", body));
                break;
            default:
                var items = JsonDocument.Parse(body).RootElement;
                Assert.Equal(3, items.GetArrayLength());
                Assert.Equal(ids.Select(id => "arXiv:" + id).Order(), items.EnumerateArray().Select(i => i.GetProperty("number").GetString()!).Order());
                Assert.All(items.EnumerateArray(), i => Assert.Equal("article", i.GetProperty("type").GetString()));
                break;
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_readers_saved_papers_and_for_you_export_and_the_links_are_on_their_pages(DatabaseProvider provider)
    {
        var app = catalog[provider];
        var email = $"export-{provider}@example.org";
        using var client = await TestAccounts.SignedInAsync(app, email);
        await app.WithScopeAsync(async services =>
        {
            var db = services.GetRequiredService<CatalogDbContext>();
            var user = await db.Users.SingleAsync(u => u.Email == email);
            var paper = await db.Papers.SingleAsync(p => p.ArxivId == "2606.01003");
            return await services.GetRequiredService<SaveService>().SetAsync(user.Id, paper.Id, true, default);
        });

        var saved = await client.GetAsync("/account/saved?format=ris");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var ris = await saved.Content.ReadAsStringAsync();
        Assert.Equal(1, ris.Split("\r\nER  - \r\n").Length - 1);
        Assert.Contains("TI  - Symmetry-Aware Reward Models\r\n", ris);
        Assert.Contains("AU  - Noether, Emmy\r\n", ris);

        var forYou = await client.GetAsync("/for-you?format=csl");
        Assert.Equal(HttpStatusCode.OK, forYou.StatusCode);
        Assert.True(JsonDocument.Parse(await forYou.Content.ReadAsStringAsync()).RootElement.GetArrayLength() > 0);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/account/saved?format=atom")).StatusCode);

        var account = await client.GetPageAsync("/account");
        Assert.NotNull(account.QuerySelector("a[href='/account/saved?format=bibtex']"));
        var forYouPage = await client.GetPageAsync("/for-you");
        Assert.NotNull(forYouPage.QuerySelector("a[href='/for-you?format=ris']"));
        var day = await client.GetPageAsync("/papers/date/2026-06-12");
        Assert.StartsWith("/papers/date/2026-06-12", day.QuerySelector(".exports a[href$='format=csl']")?.GetAttribute("href"));
    }

    [Fact]
    public async Task A_papers_page_carries_citation_meta_tags_as_arxiv_does()
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var page = await client.GetPageAsync("/papers/2606.01003");

        string? Meta(string name) => page.Head!.QuerySelector($"meta[name='{name}']")?.GetAttribute("content");
        Assert.Equal("Symmetry-Aware Reward Models", Meta("citation_title"));
        Assert.Equal(new[] { "Noether, Emmy", "Kovalevskaya, Sofia" },
            page.Head!.QuerySelectorAll("meta[name='citation_author']").Select(m => m.GetAttribute("content")));
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}$", Meta("citation_date"));
        Assert.Equal(Meta("citation_date"), Meta("citation_online_date"));
        Assert.Equal("2606.01003", Meta("citation_arxiv_id"));
        Assert.Equal("https://arxiv.org/pdf/2606.01003", Meta("citation_pdf_url"));
        Assert.False(string.IsNullOrWhiteSpace(Meta("citation_abstract")));
    }
}
