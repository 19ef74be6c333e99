using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>The backups docs/reliability.md tells operators to take, restored and served: pg_dump/pg_restore, and SQLite's VACUUM INTO and online backup taken while the app writes.</summary>
public sealed class BackupRestoreTests
{
    private const string DayPage = "/papers/date/2026-06-12";

    private static async Task PopulateAsync(PaperFeedApp app)
    {
        var sourceId = await app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).SingleAsync());
        foreach (var day in new[] { "hf-day-2026-06-12.json", "hf-day-2026-06-15.json" })
            await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, HfDailyPapersJsonParser.Parse(Fixtures.Read(day)).Papers));
        // A reader's vote, so the restored page must show the same counts, not just the same papers.
        var paperId = await app.WithDbAsync(db => db.Papers.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync());
        using var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        var vote = await Forms.VoteFormAsync(reader, DayPage, paperId);
        using var voted = await reader.PostFormAsync(vote);
        Assert.Equal(1, await app.WithDbAsync(db => db.Votes.CountAsync()));
    }

    /// <summary>What a visitor reads on the day page: every card's text, in order (whitespace folded; tokens are not text).</summary>
    private static async Task<List<string>> DayCardsAsync(PaperFeedApp app)
    {
        using var client = app.CreateClient();
        var page = await client.GetPageAsync(DayPage);
        var cards = page.QuerySelectorAll("article.card").Select(c => Regex.Replace(c.TextContent, @"\s+", " ").Trim()).ToList();
        Assert.NotEmpty(cards);
        return cards;
    }

    private static string Libpq(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}";
    }

    [Fact]
    public async Task A_pg_dump_restored_into_a_new_database_serves_the_same_day_page()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"paperfeed-{Guid.NewGuid():N}.dump");
        List<string> original;
        long papers;
        await using (var app = await PaperFeedApp.StartAsync(DatabaseProvider.Postgres))
        {
            await PopulateAsync(app);
            original = await DayCardsAsync(app);
            papers = await app.WithDbAsync(db => db.Papers.LongCountAsync());
            // The documented command: custom format, taken while the app is up (pg_dump reads one consistent snapshot).
            await PostgresCluster.RunAsync(PostgresCluster.Tool("pg_dump"), "--format=custom", "--file", dump, Libpq(app.Database.ConnectionString));
        }

        await using var restored = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await PostgresCluster.RunAsync(PostgresCluster.Tool("pg_restore"), "--no-owner", "--exit-on-error", "--dbname", Libpq(restored.ConnectionString), dump);
        File.Delete(dump);
        await using var again = new PaperFeedApp(restored, new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" }, ownsDatabase: false);
        _ = again.Server; // refuses to start if the restored schema were behind

        Assert.Equal(original, await DayCardsAsync(again));
        Assert.Equal(papers, await again.WithDbAsync(db => db.Papers.LongCountAsync()));
        Assert.Equal(1, await again.WithDbAsync(db => db.Votes.CountAsync()));
        Assert.Equal(1, await again.WithDbAsync(db => db.Papers.SumAsync(p => p.VoteCount)));
    }

    [Theory]
    [InlineData("vacuum-into")]
    [InlineData("backup-api")]
    public async Task A_sqlite_copy_taken_while_the_app_writes_opens_and_serves_the_same_papers(string method)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"paperfeed-copy-{Guid.NewGuid():N}.db");
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        await PopulateAsync(app);
        var original = await DayCardsAsync(app);
        var sourceId = await app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).SingleAsync());

        // The app keeps writing (another day of 3000 papers) while the copy is taken.
        var more = Enumerable.Range(1, 3000).Select(i => new PaperRecord
        {
            ArxivId = $"2607.{i:D5}", Title = $"Written during the backup {i}", Authors = ["A. Author"], ListDay = new DateOnly(2026, 7, 1),
        }).ToList();
        var writing = app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, more));
        await using (var source = new SqliteConnection(app.Database.ConnectionString))
        {
            await source.OpenAsync();
            if (method == "vacuum-into")
            {
                await using var vacuum = source.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $path";
                vacuum.Parameters.AddWithValue("$path", copy);
                await vacuum.ExecuteNonQueryAsync();
            }
            else
            {
                await using var target = new SqliteConnection($"Data Source={copy};Pooling=false");
                await target.OpenAsync();
                source.BackupDatabase(target);
            }
        }
        await writing;

        var copied = new PaperFeedApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite),
            new Dictionary<string, string?> { ["ConnectionStrings:Catalog"] = $"Data Source={copy}" });
        _ = copied.Server;
        try
        {
            var integrity = await copied.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync());
            Assert.Equal(["ok"], integrity);
            Assert.Equal(original, await DayCardsAsync(copied));
            Assert.Equal(1, await copied.WithDbAsync(db => db.Votes.CountAsync()));
            // A consistent snapshot: whole batches of the concurrent ingest or none, each paper once.
            var during = await copied.WithDbAsync(db => db.Papers.CountAsync(p => p.ArxivId!.StartsWith("2607.")));
            Assert.True(during % 500 == 0, $"the copy holds {during} papers of the concurrent ingest: part of a batch");
            Assert.Equal(await copied.WithDbAsync(db => db.Papers.CountAsync()), await copied.WithDbAsync(db => db.Papers.Select(p => p.Key).Distinct().CountAsync()));
        }
        finally
        {
            await copied.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(copy + suffix);
        }
    }
}
