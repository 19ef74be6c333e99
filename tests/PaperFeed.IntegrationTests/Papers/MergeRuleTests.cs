using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Papers;

/// <summary>One paper, one row, whatever the number of sources; fields merged by the written rule (docs/sources.md).</summary>
public sealed class MergeRuleTests
{
    private static readonly DateOnly Day = new(2026, 7, 13);

    private static readonly PaperRecord FromHf = new()
    {
        ArxivId = "2607.00001", Title = "Tiny Experts, Long Contexts", Abstract = "HF copy of the abstract.",
        Authors = ["A. Author"], Upvotes = 34, AiSummary = "Tiny experts reason well.", GithubRepo = "https://github.com/x/y",
        ListDay = Day,
    };

    private static readonly PaperRecord FromArxiv = new()
    {
        ArxivId = "2607.00001", Version = 2, Title = "Tiny Experts and Long Contexts", Abstract = "The arXiv abstract.",
        Authors = ["Ada Author", "Bob Builder"], Categories = ["cs.CL", "cs.AI"], PrimaryCategory = "cs.CL",
        Comments = "12 pages", FromArxiv = true,
    };

    private static async Task<int> AddSourceAsync(PaperFeedApp app, string name, SourceKind kind) =>
        await app.WithDbAsync(async db =>
        {
            var source = new Source { Name = name, Kind = kind, Url = "http://127.0.0.1:9/" + name };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });

    private static Task<IngestResult> IngestAsync(PaperFeedApp app, int sourceId, params PaperRecord[] records) =>
        app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, records));

    private static Task<Paper> PaperAsync(PaperFeedApp app) =>
        app.WithDbAsync(db => db.Papers.AsNoTracking().Include(p => p.Listings).Include(p => p.Sources).SingleAsync());

    private static void AssertMerged(Paper paper, int listings = 1)
    {
        // arXiv owns the bibliographic fields...
        Assert.Equal("Tiny Experts and Long Contexts", paper.Title);
        Assert.Equal("The arXiv abstract.", paper.Abstract);
        Assert.Equal(["Ada Author", "Bob Builder"], paper.Authors);
        Assert.Equal(["cs.CL", "cs.AI"], paper.Categories);
        Assert.Equal(2, paper.Version);
        // ...HF its own counts and links; nothing is emptied.
        Assert.Equal(34, paper.Upvotes);
        Assert.Equal("Tiny experts reason well.", paper.AiSummary);
        Assert.Equal("https://github.com/x/y", paper.GithubRepo);
        Assert.Equal(2, paper.Sources.Count);
        Assert.Equal(listings, paper.Listings.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Hf_then_arxiv_and_arxiv_then_hf_end_in_the_same_paper(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var api = await AddSourceAsync(app, "api", SourceKind.ArxivApi);

        await IngestAsync(app, 1, FromHf);
        await IngestAsync(app, api, FromArxiv);
        AssertMerged(await PaperAsync(app));

        await using var reversed = await PaperFeedApp.StartAsync(provider);
        var api2 = await AddSourceAsync(reversed, "api", SourceKind.ArxivApi);
        await IngestAsync(reversed, api2, FromArxiv);
        await IngestAsync(reversed, 1, FromHf);
        // Created from the API's record (no announcement day), the paper is also listed by that source on the day it was added.
        var merged = await PaperAsync(reversed);
        AssertMerged(merged, listings: 2);
        Assert.Contains(merged.Listings, l => l.SourceId == api2 && l.AnnounceType == "added");
        Assert.Contains(merged.Listings, l => l.SourceId == 1 && l.AnnounceType != "added");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_cross_list_seen_in_two_category_feeds_is_one_paper_listed_by_both(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var ai = await AddSourceAsync(app, "rss cs.AI", SourceKind.ArxivRss);
        var lg = await AddSourceAsync(app, "rss cs.LG", SourceKind.ArxivRss);
        var record = FromArxiv with { Version = 1, ListDay = Day };

        await IngestAsync(app, ai, record with { AnnounceType = "new" });
        var second = await IngestAsync(app, lg, record with { AnnounceType = "cross" });
        // The same feed again the next day, now a replacement: a new listing, a new version.
        await IngestAsync(app, lg, record with { AnnounceType = "replace-cross", Version = 2, ListDay = Day.AddDays(1) });

        Assert.Equal(0, second.New);
        var paper = await PaperAsync(app);
        Assert.Equal(2, paper.Version);
        Assert.Equal([("cross", Day), ("new", Day), ("replace-cross", Day.AddDays(1))],
            paper.Listings.Select(l => (l.AnnounceType!, l.Day)).OrderBy(x => x.Item2).ThenBy(x => x.Item1).ToList());
        Assert.Equal(2, paper.Sources.Count);
    }

    [Fact]
    public async Task Feed_items_without_an_arxiv_id_are_keyed_by_doi_then_link_and_join_the_arxiv_paper_with_that_doi()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var feed = await AddSourceAsync(app, "journal", SourceKind.Feed);
        await IngestAsync(app, 1, FromArxiv with { Doi = "10.1234/abc.5" });

        await IngestAsync(app, feed,
            new PaperRecord { Title = "Tiny experts and long contexts (journal version)", Doi = "10.1234/abc.5", ListDay = Day },
            new PaperRecord { Title = "A blog post", Link = "https://lab.example.org/posts/1/", ListDay = Day },
            new PaperRecord { Title = "A blog post, edited title", Link = "https://LAB.example.org/posts/1", ListDay = Day });

        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Key, p.Title }).ToListAsync());
        Assert.Equal(2, papers.Count);
        Assert.Equal("2607.00001", papers[0].Key);
        Assert.Equal("Tiny Experts and Long Contexts", papers[0].Title);
        Assert.Equal("url:https://lab.example.org/posts/1", papers[1].Key);
    }
}
