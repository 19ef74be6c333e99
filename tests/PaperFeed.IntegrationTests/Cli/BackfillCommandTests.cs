using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;

namespace PaperFeed.IntegrationTests.Cli;

/// <summary>
/// The backfill command, run as the binary runs it (in this process; on PostgreSQL as a real process) against the seeded Hugging Face source,
/// whose day pages a loopback server plays.
/// </summary>
public sealed class BackfillCommandTests : IAsyncLifetime
{
    private const string HfSource = "Hugging Face Daily Papers";
    private static readonly string[] Days = ["2026-07-01", "2026-07-02", "2026-07-03"];
    private TestDatabase _sqlite = null!;
    private LoopbackServer _hf = null!;

    public async Task InitializeAsync()
    {
        _sqlite = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
        _hf = await LoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _hf.DisposeAsync();
        await _sqlite.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Sources:Seed:0:Url"] = _hf.BaseUrl + "/papers/date/{date}",
        ["Sources:Seed:0:FallbackUrl"] = _hf.BaseUrl + "/api/daily_papers?date={date}",
        ["Sources:AllowPrivateAddresses"] = "true",
        ["Sources:ThrottleSeconds"] = "0",
        ["Sources:PolitenessSeconds"] = "0",
        ["Sources:TimeoutSeconds"] = "5",
    };

    // In this process (AppCommand); the PostgreSQL run starts the binary, settings in its environment.
    private Task<AppCommand.Run> RunAsync(TestDatabase database, params string[] args) => AppCommand.RunAsync(database, Settings(), args);

    private static CatalogDbContext Open(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>();
        if (database.Provider == DatabaseProvider.Sqlite) options.UseSqlite(database.ConnectionString);
        else options.UseNpgsql(database.ConnectionString);
        return new CatalogDbContext(options.Options);
    }

    private static async Task<List<string>> StoredIdsAsync(TestDatabase database)
    {
        await using var db = Open(database);
        return await db.Papers.OrderBy(p => p.ArxivId).Select(p => p.ArxivId!).ToListAsync();
    }

    private void ServeAllDays()
    {
        foreach (var day in Days)
            _hf.MapText($"/papers/date/{day}", Fixtures.Read($"hf-backfill-page-{day}.html"), "text/html; charset=utf-8");
    }

    private static string[] Backfill(string from = "2026-07-01", string to = "2026-07-03") =>
        ["backfill", "--source", HfSource, "--from", from, "--to", to];

    [Fact]
    public async Task Three_days_are_read_day_by_day_with_a_progress_line_each()
    {
        ServeAllDays();

        var run = await RunAsync(_sqlite, Backfill());

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(
        [
            "[1/3] 2026-07-01: 2 papers, 2 new, 0 updated",
            "[2/3] 2026-07-02: 1 papers, 1 new, 0 updated",
            "[3/3] 2026-07-03: 2 papers, 2 new, 0 updated",
            "backfilled 5 papers: 5 new, 0 updated",
        ], run.Out);
        Assert.Equal(Days.Select(d => $"/papers/date/{d}"), _hf.Requests);
        Assert.Equal(["2607.00101", "2607.00102", "2607.00201", "2607.00301", "2607.00302"], await StoredIdsAsync(_sqlite));

        await using var db = Open(_sqlite);
        var listed = await db.Listings.Where(l => l.Paper.ArxivId == "2607.00201").Select(l => l.Day).SingleAsync();
        Assert.Equal(new DateOnly(2026, 7, 2), listed);
        var source = await db.Sources.AsNoTracking().SingleAsync(s => s.Name == HfSource);
        Assert.Null(source.BackfillNextDay);
        Assert.Null(source.BackfillLastDay);
    }

    [Fact]
    public async Task A_failed_day_stops_the_run_and_the_same_command_resumes_there()
    {
        ServeAllDays();
        _hf.MapStatus("/papers/date/2026-07-02", 500);

        var failed = await RunAsync(_sqlite, Backfill());

        Assert.Equal(1, failed.ExitCode);
        Assert.Single(failed.Error.Split('\n'));
        Assert.StartsWith("2026-07-02: ", failed.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", failed.Error);
        Assert.DoesNotContain("   at ", failed.Error);
        Assert.Equal(["[1/3] 2026-07-01: 2 papers, 2 new, 0 updated"], failed.Out);
        Assert.Equal(["2607.00101", "2607.00102"], await StoredIdsAsync(_sqlite));
        Assert.DoesNotContain(_hf.Requests, r => r.EndsWith("2026-07-03", StringComparison.Ordinal));

        // The site is back: the same command continues at the failed day and does not read day 1 again.
        ServeAllDays();
        _hf.Requests.Clear();
        var resumed = await RunAsync(_sqlite, Backfill());

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(
        [
            "resuming at 2026-07-02, where the last run stopped",
            "[1/2] 2026-07-02: 1 papers, 1 new, 0 updated",
            "[2/2] 2026-07-03: 2 papers, 2 new, 0 updated",
            "backfilled 3 papers: 3 new, 0 updated",
        ], resumed.Out);
        Assert.Equal(["/papers/date/2026-07-02", "/papers/date/2026-07-03"], _hf.Requests);
        Assert.Equal(5, (await StoredIdsAsync(_sqlite)).Count);

        // A finished backfill leaves no position behind: the next run reads the whole range again, changing nothing.
        _hf.Requests.Clear();
        var again = await RunAsync(_sqlite, Backfill());
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("[1/3] 2026-07-01: 2 papers, 0 new, 0 updated", again.Out[0]);
        Assert.Equal("backfilled 5 papers: 0 new, 0 updated", again.Out[^1]);
        Assert.Equal(3, _hf.Requests.Count);
    }

    [Fact]
    public async Task A_different_range_does_not_resume_an_unfinished_one()
    {
        ServeAllDays();
        _hf.MapStatus("/papers/date/2026-07-02", 500);
        Assert.Equal(1, (await RunAsync(_sqlite, Backfill())).ExitCode);

        ServeAllDays();
        var other = await RunAsync(_sqlite, Backfill(to: "2026-07-02"));

        Assert.True(other.ExitCode == 0, other.Error);
        Assert.Equal("[1/2] 2026-07-01: 2 papers, 0 new, 0 updated", other.Out[0]);
        Assert.DoesNotContain(other.Out, l => l.StartsWith("resuming", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "backfill", "--source", "No Such Source", "--from", "2026-07-01", "--to", "2026-07-03" }, "no source named 'No Such Source'")]
    [InlineData(new[] { "backfill", "--source", "arXiv cs.AI (Artificial Intelligence)", "--from", "2026-07-01", "--to", "2026-07-03" }, "cannot be backfilled")]
    [InlineData(new[] { "backfill", "--source", HfSource, "--from", "2026-07-03", "--to", "2026-07-01" }, "--from is after --to")]
    [InlineData(new[] { "backfill", "--source", HfSource, "--from", "2026-07-01" }, "usage: backfill")]
    [InlineData(new[] { "backfill", "--source", HfSource, "--from", "1 July", "--to", "2026-07-03" }, "not understood")]
    public async Task A_backfill_that_cannot_run_exits_1_with_one_line_and_fetches_nothing(string[] args, string reason)
    {
        ServeAllDays();

        var run = await RunAsync(_sqlite, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Split('\n'));
        Assert.Contains(reason, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Empty(run.Out);
        Assert.Empty(_hf.Requests);
    }

    [Fact]
    public async Task Backfill_works_on_postgres()
    {
        await using var postgres = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Postgres);
        ServeAllDays();

        var run = await AppCommand.RunProcessAsync(postgres, Settings(), Backfill());

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("backfilled 5 papers: 5 new, 0 updated", run.Out[^1]);
        Assert.Equal(5, (await StoredIdsAsync(postgres)).Count);
        await using var db = Open(postgres);
        Assert.Equal(5, await db.Listings.CountAsync(l => l.Source.Name == HfSource));
    }
}
