using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Synthetic;

/// <summary>seed-synthetic run as the binary runs it, on both providers; the site then shows the synthetic papers.</summary>
public sealed class SeedSyntheticCommandTests
{
    private static readonly DateOnly LastDay = new(2026, 7, 6);

    /// <summary>A command run in this process, as the binary runs it (AppCommand).</summary>
    internal static Task<AppCommand.Run> RunAsync(TestDatabase database, params string[] args) => AppCommand.RunAsync(database, args);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Seeded_papers_show_on_the_day_page_topic_pages_and_search(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(provider);

        var run = await RunAsync(database, "seed-synthetic", "--papers", "500", "--days", "10", "--seed", "42", "--end", $"{LastDay:yyyy-MM-dd}");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("seeded 500 papers over 10 days (2026-06-27 to 2026-07-06, seed 42)", run.Out[^1]);
        Assert.Contains("100 %", run.Error); // progress goes to stderr
        await using var app = new PaperFeedApp(database, ownsDatabase: false);
        var client = app.CreateClient();

        var (featured, cv, titled) = await app.WithDbAsync(async db => (
            await db.Papers.Where(p => p.Listings.Any(l => l.Day == LastDay && l.Source.Curated)).OrderByDescending(p => p.Upvotes).ThenByDescending(p => p.Id).FirstAsync(),
            await db.Papers.Where(p => p.Topics.Any(t => t.Topic.Slug == "cs-cv")).OrderByDescending(p => p.Upvotes).ThenByDescending(p => p.Id).FirstAsync(),
            await db.Papers.OrderBy(p => p.Id).Skip(345).FirstAsync()));
        Assert.Equal(500, await app.WithDbAsync(db => db.Papers.CountAsync()));

        var day = await client.GetStringAsync($"/papers/date/{LastDay:yyyy-MM-dd}");
        Assert.Contains($"/papers/{featured.ArxivId}\"", day);
        var topic = await client.GetStringAsync("/topics/cs-cv");
        Assert.Contains($"/papers/{cv.ArxivId}\"", topic);
        // Every word of the title (not the phrase: PostgreSQL's phrase match misses hyphenated words such as "Few-Shot").
        var search = await client.GetStringAsync("/search?q=" + Uri.EscapeDataString(titled.Title));
        Assert.Contains($"/papers/{titled.ArxivId}\"", search);
        var details = await client.GetStringAsync($"/papers/{titled.ArxivId}");
        Assert.Contains(titled.Authors[0], details);

        // The ids the database hands out next follow the seeded ones, so ingest still works.
        Assert.Equal(501, await app.WithDbAsync(async db =>
        {
            db.Papers.Add(new PaperFeed.Papers.Paper { Key = "title:x", Title = "X", NormalizedTitle = "x" });
            await db.SaveChangesAsync();
            return db.Papers.Max(p => p.Id);
        }));
    }

    [Fact]
    public async Task A_catalog_with_papers_is_refused_and_left_alone()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await RunAsync(database, "seed-synthetic", "--papers", "50", "--days", "2")).ExitCode);

        var again = await RunAsync(database, "seed-synthetic", "--papers", "50", "--days", "2");
        var bad = await RunAsync(database, "seed-synthetic", "--papers", "many", "--days", "2");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already holds 50 papers", again.Error);
        Assert.Single(again.Error.Split('\n'));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--papers many: not understood", bad.Error);
    }
}
