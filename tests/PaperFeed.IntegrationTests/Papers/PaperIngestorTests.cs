using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Papers;

public sealed class PaperIngestorTests
{
    private static Task<IngestResult> IngestAsync(PaperFeedApp app, IReadOnlyList<PaperRecord> records, int sourceId = 1) =>
        app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, records));

    private static Task<(int Papers, int Listings)> CountAsync(PaperFeedApp app) =>
        app.WithDbAsync(async db => (await db.Papers.CountAsync(), await db.Listings.CountAsync()));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_same_day_ingested_ten_times_leaves_the_catalog_of_once(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var day = HfDailyPapersJsonParser.Parse(Fixtures.Read("hf-day-2026-06-12.json")).Papers;

        var first = await IngestAsync(app, day);
        Assert.Equal(new IngestResult(3, 3, 0, 0), first);
        for (var i = 0; i < 9; i++)
            Assert.Equal(new IngestResult(3, 0, 0, 3), await IngestAsync(app, day));

        Assert.Equal((3, 3), await CountAsync(app));
        var paper = await app.WithDbAsync(db => db.Papers.SingleAsync(p => p.ArxivId == "2606.01001"));
        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", paper.Title);
        Assert.Equal(["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"], paper.Authors);
        Assert.Equal(42, paper.Upvotes);
        Assert.Equal(new DateTime(2026, 6, 10, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(DateTimeKind.Utc, paper.CreatedAt.Kind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_new_version_or_a_new_upvote_count_updates_the_paper_without_duplicating_it(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var record = new PaperRecord { ArxivId = "2606.01001", Version = 1, Title = "A Title", Upvotes = 3, ListDay = new DateOnly(2026, 6, 12) };
        await IngestAsync(app, [record]);

        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [record with { Version = 2 }]));
        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [record with { Version = 2, Upvotes = 9 }]));
        // An older version arriving late changes nothing.
        Assert.Equal(new IngestResult(1, 0, 0, 1), await IngestAsync(app, [record with { Version = 1, Upvotes = 9 }]));

        var paper = await app.WithDbAsync(db => db.Papers.SingleAsync());
        Assert.Equal((2, 9), (paper.Version, paper.Upvotes));
        Assert.Equal((1, 1), await CountAsync(app));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_paper_first_stored_by_title_merges_with_its_arxiv_id_later(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await IngestAsync(app, [new PaperRecord { Title = "Symmetry-Aware  Reward Models.", Upvotes = 2 }]);
        var stored = await app.WithDbAsync(db => db.Papers.SingleAsync());
        Assert.StartsWith("title:", stored.Key);

        var result = await IngestAsync(app, [new PaperRecord { ArxivId = "2606.01003", Title = "Symmetry-aware reward models", Upvotes = 7, ListDay = new DateOnly(2026, 6, 12) }]);

        Assert.Equal(0, result.New);
        var merged = await app.WithDbAsync(db => db.Papers.SingleAsync());
        Assert.Equal(("2606.01003", "2606.01003", 7), (merged.Key, merged.ArxivId, merged.Upvotes));
        // Listed on the day it was added (the first record named no day) and on the day of the second.
        Assert.Equal((1, 2), await CountAsync(app));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_ingests_of_the_same_day_never_duplicate_a_paper(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var day = HfDailyPapersJsonParser.Parse(Fixtures.Read("hf-day-2026-06-12.json")).Papers;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => IngestAsync(app, day))));

        Assert.Equal((3, 3), await CountAsync(app));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_unchanged_paper_is_known_by_its_fingerprint_and_votes_and_flags_set_meanwhile_survive_a_change(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var record = new PaperRecord { ArxivId = "2606.02001", Version = 1, Title = "Fingerprints", Abstract = "First words.", Authors = ["Ada"], FromArxiv = true };
        await IngestAsync(app, [record]);
        var stored = await app.WithDbAsync(db => db.Papers.AsNoTracking().SingleAsync());
        Assert.Equal(PaperMerge.Fingerprint(PaperMerge.FromRecord(record, "2606.02001", DateTime.UtcNow)), stored.MergeHash);
        // Readers vote and an administrator hides the paper between two fetches.
        await app.WithDbAsync(db => db.Papers.ExecuteUpdateAsync(s => s.SetProperty(p => p.VoteCount, 5).SetProperty(p => p.Hidden, true)));

        Assert.Equal(new IngestResult(1, 0, 0, 1), await IngestAsync(app, [record]));
        var changed = record with { Version = 2, Abstract = "Second words." };
        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [changed]));
        Assert.Equal(new IngestResult(1, 0, 0, 1), await IngestAsync(app, [changed]));

        var paper = await app.WithDbAsync(db => db.Papers.AsNoTracking().SingleAsync());
        Assert.Equal(("Second words.", 2, 5, true), (paper.Abstract, paper.Version, paper.VoteCount, paper.Hidden));
        Assert.Equal(PaperMerge.Fingerprint(PaperMerge.FromRecord(changed, "2606.02001", DateTime.UtcNow)), paper.MergeHash);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_paper_without_a_fingerprint_is_compared_in_full(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var record = new PaperRecord { ArxivId = "2606.02002", Title = "Authoritative title", Abstract = "Words.", FromArxiv = true };
        await IngestAsync(app, [record]);
        // Edited outside ingest (a row from before fingerprints, or an administrator's merge): no fingerprint.
        await app.WithDbAsync(db => db.Papers.ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, "Edited title").SetProperty(p => p.MergeHash, (long?)null)));

        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [record]));
        Assert.Equal(new IngestResult(1, 0, 0, 1), await IngestAsync(app, [record]));
        Assert.Equal("Authoritative title", await app.WithDbAsync(db => db.Papers.Select(p => p.Title).SingleAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_unchanged_paper_on_a_new_day_or_from_a_new_source_still_gets_its_listing_and_source(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var record = new PaperRecord { ArxivId = "2606.02003", Title = "Listed twice", ListDay = new DateOnly(2026, 6, 12), FromArxiv = true };
        await IngestAsync(app, [record]);

        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [record with { ListDay = new DateOnly(2026, 6, 13) }]));
        Assert.Equal(new IngestResult(1, 0, 1, 0), await IngestAsync(app, [record], sourceId: 2));
        Assert.Equal(new IngestResult(1, 0, 0, 1), await IngestAsync(app, [record], sourceId: 2));

        var rows = await app.WithDbAsync(async db => (await db.Listings.CountAsync(), await db.PaperSources.CountAsync()));
        Assert.Equal((3, 2), rows);
    }
}
