using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.IntegrationTests.Synthetic;

namespace PaperFeed.IntegrationTests.Cli;

/// <summary>The command line itself, as an operator meets it (the binary, a real process): help for every command, one line for what it does not understand.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private TestDatabase _sqlite = null!;

    public async Task InitializeAsync() => _sqlite = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
    public async Task DisposeAsync() => await _sqlite.DisposeAsync();

    private bool CatalogTouched => File.Exists(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_sqlite.ConnectionString).DataSource);

    [Theory]
    [InlineData("import", "add papers from", "--year", "<file-or-url>")]
    [InlineData("backfill", "fetch past days", "--source", "--from", "--to")]
    [InlineData("migrate", "bring the catalog schema up to date")]
    [InlineData("send-digests", "send the digests due now")]
    [InlineData("digests status", "pending, sent and failed")]
    [InlineData("seed-synthetic", "fill a test catalog", "--papers", "--days", "--seed", "--end", "--atom-out", "--per-file")]
    [InlineData("embed-papers", "missing paper embeddings", "--limit")]
    public async Task Every_command_explains_itself_and_its_options_without_touching_the_catalog(string command, string description, params string[] options)
    {
        var run = await AppCommand.RunProcessAsync(_sqlite, [.. command.Split(' '), "--help"]);

        Assert.True(run.ExitCode == 0, run.Error);
        var help = string.Join('\n', run.Out);
        Assert.Contains(description, help, StringComparison.Ordinal);
        Assert.Contains($"PaperFeed {command}", help, StringComparison.Ordinal);
        foreach (var option in options) Assert.Contains(option, help, StringComparison.Ordinal);
        Assert.False(CatalogTouched, "help touched the catalog");
    }

    [Theory]
    [InlineData("help")]
    [InlineData("-h")]
    public async Task Help_words_list_every_command(string word)
    {
        var run = await AppCommand.RunProcessAsync(_sqlite, word);

        Assert.Equal(0, run.ExitCode);
        foreach (var command in new[] { "import [--year YYYY] <file-or-url>...", "backfill --source", "migrate ", "send-digests ", "digests status ", "seed-synthetic --papers N", "embed-papers [--limit N]" })
            Assert.Contains(run.Out, line => line.TrimStart().StartsWith(command, StringComparison.Ordinal));
        Assert.False(CatalogTouched, "help touched the catalog");
    }

    [Fact]
    public async Task Help_before_a_command_is_that_commands_help()
    {
        var run = await AppCommand.RunProcessAsync(_sqlite, "help", "backfill");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Out, line => line.Contains("--source", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "migrate", "--everything" }, 1, "--everything: not understood (usage: migrate)")]
    [InlineData(new[] { "import", "--colour", "red.json" }, 1, "unknown option --colour (usage: import [--year YYYY] <file-or-url>...)")]
    [InlineData(new[] { "import", "--year", "1850", "a.json" }, 1, "--year 1850: not understood (usage: import [--year YYYY] <file-or-url>...)")]
    [InlineData(new[] { "digests" }, 2, "digests: not understood; `help` lists the commands")]
    public async Task What_a_command_does_not_understand_is_one_line_and_a_non_zero_exit(string[] args, int exitCode, string reason)
    {
        var run = await AppCommand.RunProcessAsync(_sqlite, args);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal(reason, run.Error);
        Assert.Empty(run.Out);
        Assert.False(CatalogTouched, "a refused command touched the catalog");
    }
}
