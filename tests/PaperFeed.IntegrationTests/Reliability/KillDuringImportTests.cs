using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// The import command, a separate process, killed with SIGKILL at a random moment, then run again to the end, 4 times over:
/// after each restart every paper is there exactly once. Each round imports a new day that also repeats half of the previous one,
/// so killed runs hit inserts and updates alike.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait(ReliabilityCollection.Category, ReliabilityCollection.Reliability)]
public sealed class KillDuringImportTests(ITestOutputHelper output) : IAsyncLifetime
{
    // 4 rounds of two batches (was 12 of three, then 8, then 6): still the slowest test of CI, and its import processes take
    // CPU from the steps running beside it. The odd rounds' kills land in the first batch (start, parse, uncommitted
    // writes), the even ones between the batches; the output below counts them.
    private const int Rounds = 4;
    // Two ingest batches per run, so that a kill can fall between them.
    private const int PerDay = PaperFeed.Papers.PaperIngestor.BatchSize + 1_500;
    private TestDatabase _database = null!;
    private DirectoryInfo _folder = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        _folder = Directory.CreateTempSubdirectory("paperfeed-kill-");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private Dictionary<string, string> Settings => new()
    {
        ["Database:Provider"] = _database.Provider.ToString(),
        ["ConnectionStrings:Catalog"] = _database.ConnectionString,
        // Information level: a restart that hangs shows how far it got.
        ["Serilog:MinimumLevel:Default"] = "Information",
    };

    /// <summary>Day n: papers n·PerDay/2 … n·PerDay/2 + PerDay − 1 (half of them already in day n−1), in HF's daily papers JSON.</summary>
    private string WriteDay(int n)
    {
        var day = new DateOnly(2026, 1, 1).AddDays(n);
        var first = n * PerDay / 2;
        var items = Enumerable.Range(first, PerDay).Select(i => new
        {
            paper = new
            {
                id = $"2601.{i:D5}",
                title = $"Crash-safe paper {i}",
                summary = $"Abstract of paper {i}, about reasoning in large language models.",
                authors = new[] { new { name = "A. Author" }, new { name = $"Author {i % 97}" } },
                publishedAt = day.ToString("yyyy-MM-dd") + "T00:00:00.000Z",
                submittedOnDailyAt = day.ToString("yyyy-MM-dd") + "T00:00:00.000Z",
                upvotes = (i + n) % 40, // changes between days: the repeated half is updated
            },
        });
        var file = Path.Combine(_folder.FullName, $"day-{n:D2}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(items));
        return file;
    }

    private async Task<long> ListingsAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM Listings";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(int Papers, int DistinctIds, int Listings, int DistinctListings)> CountAsync()
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseSqlite(_database.ConnectionString).Options;
        await using var db = new CatalogDbContext(options);
        return (await db.Papers.CountAsync(), await db.Papers.Select(p => p.ArxivId).Distinct().CountAsync(),
            await db.Listings.CountAsync(), await db.Listings.Select(l => new { l.SourceId, l.PaperId, l.Day }).Distinct().CountAsync());
    }

    [Fact]
    public async Task An_import_killed_at_random_points_and_run_again_loses_nothing_and_duplicates_nothing()
    {
        // Round 0 runs to the end and tells how long a whole run takes; the kills fall anywhere inside that.
        var clock = Stopwatch.StartNew();
        await using (var whole = AppProcess.Command(Settings, "import", WriteDay(0)))
            Assert.Equal(0, await whole.WaitForExitAsync(TimeSpan.FromMinutes(3)));
        var duration = clock.Elapsed;
        output.WriteLine($"one whole import of {PerDay} papers: {duration.TotalSeconds:0.0} s (process start included)");

        var random = new Random(20261125);
        var midIngest = 0;
        for (var n = 1; n <= Rounds; n++)
        {
            var file = WriteDay(n);
            var before = await CountAsync();
            // Half the rounds kill at a random moment of a whole run; the other half just after the first batch committed
            // (plus a random instant), so that on a fast or a loaded machine alike many kills fall inside a batch.
            var afterFirstBatch = n % 2 == 0;
            var delay = TimeSpan.FromMilliseconds(afterFirstBatch ? random.Next(0, 300) : random.Next(200, (int)duration.TotalMilliseconds));
            await using (var killed = AppProcess.Command(Settings, "import", file))
            {
                if (afterFirstBatch)
                {
                    var waited = Stopwatch.StartNew();
                    while (!killed.HasExited && await ListingsAsync() < before.Listings + PaperFeed.Papers.PaperIngestor.BatchSize && waited.Elapsed < TimeSpan.FromMinutes(2))
                        await Task.Delay(10);
                }
                await Task.Delay(delay);
                await killed.KillAsync();
            }
            var afterKill = await CountAsync();
            // Papers already committed stay, and nothing is there twice even straight after the kill.
            Assert.Equal(afterKill.Papers, afterKill.DistinctIds);
            Assert.Equal(afterKill.Listings, afterKill.DistinctListings);
            Assert.InRange(afterKill.Papers, before.Papers, before.Papers + PerDay / 2);
            if (afterKill.Listings > before.Listings && afterKill.Listings < before.Listings + PerDay) midIngest++;

            clock.Restart();
            await using (var restart = AppProcess.Command(Settings, "import", file))
            {
                var code = await restart.WaitForExitAsync(TimeSpan.FromMinutes(3));
                Assert.True(code == 0, string.Join('\n', restart.Output));
            }
            duration = clock.Elapsed; // the next random kill falls within a whole run as the machine runs now
            var after = await CountAsync();
            var expected = (n + 2) * PerDay / 2;
            output.WriteLine($"round {n}: killed {(afterFirstBatch ? "after the first batch + " : "after ")}{delay.TotalMilliseconds:0} ms with {afterKill.Listings - before.Listings} of {PerDay} listings in; after the restart {after.Papers} papers");
            Assert.Equal((expected, expected, (n + 1) * PerDay, (n + 1) * PerDay), after);
        }
        output.WriteLine($"{midIngest} of {Rounds} kills fell in the middle of the ingest");
        // Kills before the first batch or after the last prove less: the test only counts if many fell in between.
        Assert.True(midIngest >= Rounds / 4, $"only {midIngest} of {Rounds} kills fell in the middle of the ingest");
    }
}
