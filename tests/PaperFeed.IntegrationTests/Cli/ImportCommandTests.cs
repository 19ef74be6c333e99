using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Cli;

/// <summary>The import command, run as the binary runs it: in this process, and as a real process where the process is the point.</summary>
public sealed class ImportCommandTests : IAsyncLifetime
{
    private TestDatabase _sqlite = null!;

    // A migrated copy (a file copy): each run of the binary then checks the schema instead of applying every migration.
    public async Task InitializeAsync() => _sqlite = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    // In this process (AppCommand): the tests of the process itself (help, environment, a relative path) start the binary.
    private static Task<AppCommand.Run> RunAsync(TestDatabase database, params string[] args) => AppCommand.RunAsync(database, args);

    /// <summary>The binary, started in the fixtures folder as an operator's shell would (PWD).</summary>
    private static Task<AppCommand.Run> RunProcessAsync(TestDatabase database, params string[] args) =>
        AppCommand.RunProcessAsync(database, new Dictionary<string, string?> { ["PWD"] = Path.Combine(AppContext.BaseDirectory, "Fixtures") }, args);

    private static async Task<int> PaperCountAsync(TestDatabase database)
    {
        await using var db = Open(database);
        return await db.Papers.CountAsync();
    }

    private static CatalogDbContext Open(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>();
        if (database.Provider == DatabaseProvider.Sqlite) options.UseSqlite(database.ConnectionString);
        else options.UseNpgsql(database.ConnectionString);
        return new CatalogDbContext(options.Options);
    }

    private static async Task<string[]> TitlesAsync(TestDatabase database)
    {
        await using var db = Open(database);
        return (await db.Papers.Select(p => p.Title).ToListAsync()).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task A_file_that_is_not_utf8_is_refused_with_one_line_and_never_replaces_a_good_title()
    {
        // F3: a Latin-1 file imported with exit 0, U+FFFD in the title, "0 new, 1 updated" over the good one.
        // On SQLite only: the file is refused while it is decoded, before any catalog is touched (five runs of the
        // binary per provider were the slowest CLI test); the PostgreSQL import path is Import_and_migrate_work_on_postgres.
        var catalog = _sqlite;
        Assert.Equal(0, (await RunAsync(catalog, "import", Fixtures.PathOf("hf-day-2026-06-12.json"))).ExitCode);
        var good = await TitlesAsync(catalog);
        var folder = Directory.CreateTempSubdirectory("paperfeed-latin1-");
        var json = Path.Combine(folder.FullName, "latin1.json");
        File.WriteAllBytes(json, Encoding.Latin1.GetBytes(Fixtures.Read("hf-day-2026-06-12.json").Replace("Symmetry-Aware Reward Models", "Symmetry-Aware Reward Models for Cafés", StringComparison.Ordinal)));
        var atom = Fixtures.Read("arxiv-api-enrich-2606.01001-01003.xml").Replace("Entropy Bounds for Diffusion Samplers", "Entropy Bounds for Diffusion Samplérs", StringComparison.Ordinal);
        var undeclared = Path.Combine(folder.FullName, "latin1.xml");
        File.WriteAllBytes(undeclared, Encoding.Latin1.GetBytes(atom.Replace("<?xml version='1.0' encoding='UTF-8'?>", "", StringComparison.Ordinal)));

        foreach (var file in new[] { json, undeclared })
        {
            var run = await RunAsync(catalog, "import", file);
            Assert.Equal(1, run.ExitCode);
            Assert.Equal($"{file}: not valid UTF-8 (byte 0xE9) and no other charset declared; convert it to UTF-8 first (for example iconv -f latin1 -t utf-8)", run.Error);
            Assert.Equal(good, await TitlesAsync(catalog));
        }

        // An XML file that declares its encoding is read in it, as a fetched body is read in the charset its server names.
        var declared = Path.Combine(folder.FullName, "declared.xml");
        File.WriteAllBytes(declared, Encoding.Latin1.GetBytes(atom.Replace("encoding='UTF-8'", "encoding='ISO-8859-1'", StringComparison.Ordinal)));
        var read = await RunAsync(catalog, "import", declared);
        Assert.Equal(0, read.ExitCode);
        Assert.Contains("Entropy Bounds for Diffusion Samplérs", await TitlesAsync(catalog));
        Assert.DoesNotContain(await TitlesAsync(catalog), t => t.Contains('\uFFFD', StringComparison.Ordinal));
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Help_lists_every_command_without_starting_the_site()
    {
        await using var empty = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite); // no file until something opens it
        var run = await RunProcessAsync(empty, "--help");

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "import", "backfill", "migrate", "send-digests", "digests status", "seed-synthetic", "embed-papers" })
            Assert.Contains(run.Out, line => line.TrimStart().StartsWith(command + " ", StringComparison.Ordinal));
        Assert.False(File.Exists(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(empty.ConnectionString).DataSource), "help touched the catalog");
    }

    [Fact]
    public async Task A_directory_is_refused_with_one_line_that_says_so()
    {
        // D4: it said "cannot read: Access to the path … is denied".
        var folder = Directory.CreateTempSubdirectory("paperfeed-folder-");
        File.Copy(Fixtures.PathOf("hf-day-2026-06-12.json"), Path.Combine(folder.FullName, "day.json"));

        var run = await RunAsync(_sqlite, "import", Fixtures.PathOf("hf-day-2026-06-15.json"), folder.FullName);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{folder.FullName}: is a directory; give the files in it (for example {Path.Combine(folder.FullName, "*.xml")})", run.Error);
        Assert.Equal(0, await PaperCountAsync(_sqlite));
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Importing_a_day_twice_reports_new_then_nothing_new()
    {
        var first = await RunAsync(_sqlite, "import", Fixtures.PathOf("hf-day-2026-06-12.json"));
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("imported 3 papers: 3 new, 0 updated", first.Out[^1]);

        // A relative path is the caller's folder (PWD), as with `dotnet run`.
        var second = await RunProcessAsync(_sqlite, "import", "hf-day-2026-06-12.json", "hf-page-2026-06-12.html");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains(second.Out, l => l.Contains("Hugging Face papers page", StringComparison.Ordinal));
        Assert.Equal("imported 6 papers: 0 new, 0 updated", second.Out[^1]);
        Assert.Equal(3, await PaperCountAsync(_sqlite));
    }

    [Fact]
    public async Task A_copied_search_page_creates_papers_with_dates_in_the_given_year()
    {
        var run = await RunAsync(_sqlite, "import", "--year", "2025", Fixtures.PathOf("hf-search-page-copied.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("imported 4 papers: 4 new, 0 updated", run.Out[^1]);
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseSqlite(_sqlite.ConnectionString).Options;
        await using var db = new CatalogDbContext(options);
        var reward = await db.Papers.SingleAsync(p => p.Title == "Reward Shaping for Tool-Using Agents");
        Assert.Equal((new DateTime(2025, 6, 16, 0, 0, 0, DateTimeKind.Utc), 4), (reward.PublishedAt!.Value, reward.Upvotes));
        Assert.Equal("Apple", (await db.Papers.SingleAsync(p => p.Title.StartsWith("On-Device"))).OrganizationName);
        // Search results, not HF's daily picks: their own source (never "Hugging Face Daily Papers"), and each paper on
        // the day it was added, so it is under that day's "All new".
        var listings = await db.Listings.Select(l => new { l.Source.Name, l.Source.Curated, l.AnnounceType, l.Day }).ToListAsync();
        Assert.Equal(4, listings.Count);
        Assert.All(listings, l => Assert.Equal(("Imported: Hugging Face page copied as text", false, "added"), (l.Name, l.Curated, l.AnnounceType)));
        Assert.Single(listings.Select(l => l.Day).Distinct());
        Assert.Equal(0, await db.PaperSources.CountAsync(s => s.Source.Name == "Hugging Face Daily Papers"));
    }

    [Theory]
    [InlineData("missing.json", "cannot read")]
    [InlineData("malformed.json", "malformed JSON")]
    [InlineData("blog.html", "no papers data")]
    [InlineData("notes.txt", "unknown format")]
    public async Task Bad_input_exits_non_zero_with_one_line_and_writes_nothing(string name, string reason)
    {
        var folder = Directory.CreateTempSubdirectory("paperfeed-import-");
        File.WriteAllText(Path.Combine(folder.FullName, "malformed.json"), "[{\"paper\": {\"id\": \"2606.01001\", \"title\": \"Cut");
        File.WriteAllText(Path.Combine(folder.FullName, "blog.html"), "<!doctype html><html><body><div class=\"SVELTE_HYDRATER contents\" data-target=\"BlogPost\" data-props=\"{}\"></div></body></html>");
        File.WriteAllText(Path.Combine(folder.FullName, "notes.txt"), "# Notes\n\nThese are meeting notes with a long line that is not a paper abstract at all, just text that goes on and on and on for a while.\n");

        // The good file comes first: a bad input anywhere means nothing is written at all.
        var run = await RunAsync(_sqlite, "import", Fixtures.PathOf("hf-day-2026-06-12.json"), Path.Combine(folder.FullName, name));

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Split('\n'));
        Assert.Contains(reason, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Equal(0, await PaperCountAsync(_sqlite));
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task Import_and_migrate_work_on_postgres()
    {
        await using var postgres = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

        var migrate = await RunProcessAsync(postgres, "migrate");
        Assert.Equal(0, migrate.ExitCode);
        var run = await RunProcessAsync(postgres, "import", Fixtures.PathOf("hf-day-2026-06-12.json"), Fixtures.PathOf("hf-day-2026-06-15.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("imported 4 papers: 4 new, 0 updated", run.Out[^1]);
        Assert.Equal(4, await PaperCountAsync(postgres));
    }
}
