using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Site;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>
/// Papers from a Hugging Face page copied as text (search results: titles, no arXiv id, no authors): they say where
/// they came from, are under "All new" of the day they were added, have a readable address, and the enrichment job
/// finds their arXiv record by exact title (loopback arXiv API), merging through the one ingest path.
/// </summary>
public sealed class PapersWithoutAnIdTests : IAsyncLifetime
{
    private LoopbackServer _arxiv = null!;

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        // arXiv answers a title query with near matches too (a survey of the same name): only the exact title counts.
        _arxiv.Map("/api/query", async context =>
        {
            if (context.Request.Query["search_query"].ToString().StartsWith("ti:\"", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/atom+xml; charset=utf-8";
                await context.Response.WriteAsync(Fixtures.Read("arxiv-api-title-lookup.xml"));
            }
            else context.Response.StatusCode = StatusCodes.Status400BadRequest;
        });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    /// <summary>What the import command does with a copied page: its own import source, the parser's records.</summary>
    private static async Task<int> ImportCopiedPageAsync(PaperFeedApp app)
    {
        var name = Source.ImportPrefix + ImportFormats.Describe(ImportFormat.HfCopiedText);
        var sourceId = await app.WithDbAsync(async db =>
        {
            var source = new Source { Name = name, Kind = SourceKind.Import, Url = "file:", Enabled = false };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });
        var (format, parsed) = ImportFormats.Parse(Fixtures.Read("hf-search-page-copied.txt"), 2025);
        Assert.Equal(ImportFormat.HfCopiedText, format);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, parsed.Papers));
        return parsed.Papers.Count;
    }

    private static IHtmlDocumentish Parse(string html) => new(new HtmlParser().ParseDocument(html));

    private sealed record IHtmlDocumentish(AngleSharp.Html.Dom.IHtmlDocument Document)
    {
        public string[] All(string selector) => Document.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToArray();
        public string[] Hrefs(string selector) => Document.QuerySelectorAll(selector).Select(e => e.GetAttribute("href")!).ToArray();
        public string? Text(string selector) => Document.QuerySelector(selector)?.TextContent.Trim();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_copied_page_is_listed_on_the_day_it_was_added_says_where_it_came_from_and_has_readable_addresses(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query" });
        var today = app.Services.GetRequiredService<IOptions<AppOptions>>().Value.Today(app.Services.GetRequiredService<TimeProvider>());
        // Hugging Face's own pick of the day, and a copied page imported the same day.
        var hf = await app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).FirstAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(hf,
            [new PaperRecord { ArxivId = "2606.08001", Title = "Today's Pick on Hugging Face", ListDay = today, Upvotes = 3 }]));
        Assert.Equal(4, await ImportCopiedPageAsync(app));
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // Added today: under "All new" of today beside HF's pick, not Featured (HF did not pick them; none has 10 upvotes).
        var day = Parse(await client.GetStringAsync($"/papers/date/{today:yyyy-MM-dd}?tab=all"));
        Assert.Equal(5, day.All("article.card h2").Length);
        Assert.Contains("Reward Shaping for Tool-Using Agents", day.All("article.card h2"));
        Assert.Equal(["All sources", "Hugging Face Daily Papers (1)", "Hugging Face papers page, copied as text (4)"], day.All("#source option"));
        var featured = Parse(await client.GetStringAsync($"/papers/date/{today:yyyy-MM-dd}?tab=featured"));
        Assert.Equal(["Today's Pick on Hugging Face"], featured.All("article.card h2"));

        // Readable addresses: the card links to the title's words; the old hash address redirects there.
        var notes = day.Hrefs("article.card h2 a").Single(h => h.Contains("notes", StringComparison.Ordinal));
        Assert.Equal("/papers/notes-on-evaluating-retrieval-augmented-generation", notes);
        var key = await app.WithDbAsync(db => db.Papers.Where(p => p.Title == "Notes on Evaluating Retrieval-Augmented Generation").Select(p => p.Key).SingleAsync());
        Assert.StartsWith("title:", key);
        var old = await client.GetAsync("/papers/" + key);
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal(notes, old.Headers.Location!.OriginalString);
        var page = Parse(await client.GetStringAsync(notes));
        Assert.Equal("Notes on Evaluating Retrieval-Augmented Generation", page.Text("h1"));
        Assert.Equal("Hugging Face papers page, copied as text", page.Text(".paper-sources"));
        Assert.DoesNotContain("Daily Papers", page.Text(".paper-sources"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/papers/notes-on-something-else-entirely")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Enrichment_finds_a_title_on_arxiv_merges_it_and_does_not_ask_again_for_titles_arxiv_does_not_know(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query" });
        // One of the copied papers is already in the catalog from arXiv, listed on its own day.
        var rss = await app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.ArxivRss).Select(s => s.Id).FirstAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(rss,
            [new PaperRecord { ArxivId = "2606.07002", Title = "Curriculum Schedules for Small Language Models", ListDay = new DateOnly(2026, 6, 10), FromArxiv = true, Authors = ["Ada Lovelace"] }]));
        await ImportCopiedPageAsync(app);
        Assert.Equal(5, await app.WithDbAsync(db => db.Papers.CountAsync()));

        var found = await app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None));

        // One polite request for the four titles (batch of 5), an exact-title phrase each.
        var request = Assert.Single(_arxiv.Requests);
        Assert.Contains(Uri.EscapeDataString("ti:\"reward shaping for tool using agents\""), request);
        Assert.Equal(2, found);
        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Title).ToListAsync());
        Assert.Equal(4, papers.Count); // the copied "Curriculum" merged into the arXiv paper
        var reward = papers.Single(p => p.Title == "Reward Shaping for Tool-Using Agents");
        Assert.Equal(("2606.07001", "2606.07001"), (reward.ArxivId, reward.Key));
        Assert.Equal(["Katherine Johnson", "Dorothy Vaughan", "Mary Jackson"], reward.Authors);
        Assert.Equal(4, reward.Upvotes); // HF's count, kept
        Assert.DoesNotContain(papers, p => p.ArxivId == "2606.07009"); // the survey was not the paper asked for
        var curriculum = papers.Single(p => p.Title == "Curriculum Schedules for Small Language Models");
        Assert.Equal("2606.07002", curriculum.ArxivId);
        Assert.Equal(2, await app.WithDbAsync(db => db.Listings.CountAsync(l => l.PaperId == curriculum.Id))); // its arXiv day and the day it was copied
        Assert.All(papers.Where(p => p.ArxivId is null), p => Assert.NotNull(p.ArxivTitleLookupAt));

        using var client = app.CreateClient();
        var page = Parse(await client.GetStringAsync("/papers/2606.07001"));
        Assert.Equal("Hugging Face papers page, copied as text, arXiv API", page.Text(".paper-sources"));
        Assert.Contains("https://arxiv.org/abs/2606.07001", page.Hrefs("a"));

        // The two titles arXiv did not know are not asked again on the next run.
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None)));
        Assert.Single(_arxiv.Requests);
    }
}
