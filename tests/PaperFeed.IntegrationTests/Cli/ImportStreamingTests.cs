using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.IntegrationTests.Synthetic;

namespace PaperFeed.IntegrationTests.Cli;

/// <summary>`import` of arXiv Atom files written by `seed-synthetic --atom-out`: read entry by entry, ingested in chunks.</summary>
public sealed class ImportStreamingTests
{
    private static async Task<(long Papers, long Topics, long Sources)> CountAsync(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>();
        if (database.Provider == DatabaseProvider.Sqlite) options.UseSqlite(database.ConnectionString);
        else options.UseNpgsql(database.ConnectionString);
        await using var db = new CatalogDbContext(options.Options);
        return (await db.Papers.CountAsync(), await db.PaperTopics.CountAsync(), await db.PaperSources.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Synthetic_atom_files_import_once_then_change_nothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var folder = Directory.CreateTempSubdirectory("paperfeed-atom-");
        var written = await SeedSyntheticCommandTests.RunAsync(database, "seed-synthetic", "--papers", "12000", "--days", "20", "--atom-out", folder.FullName, "--per-file", "5000");
        Assert.Equal(0, written.ExitCode);
        var files = Directory.GetFiles(folder.FullName).Order().ToArray();
        Assert.Equal(3, files.Length);

        var first = await SeedSyntheticCommandTests.RunAsync(database, ["import", .. files]);
        var second = await SeedSyntheticCommandTests.RunAsync(database, ["import", .. files]);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("imported 12000 papers: 12000 new, 0 updated", first.Out[^1]);
        Assert.Contains(first.Out, l => l.EndsWith("arXiv API Atom, 5000 papers: 5000 new, 0 updated", StringComparison.Ordinal));
        Assert.Contains("import: 100 %", first.Error); // progress on long runs, on stderr
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("imported 12000 papers: 0 new, 0 updated", second.Out[^1]);
        var (papers, topics, sources) = await CountAsync(database);
        Assert.Equal((12000L, 12000L), (papers, sources));
        Assert.True(topics > 12000, $"{topics} topic tags for 12000 papers");
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_cut_off_atom_file_among_good_ones_writes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var folder = Directory.CreateTempSubdirectory("paperfeed-atom-");
        Assert.Equal(0, (await SeedSyntheticCommandTests.RunAsync(database, "seed-synthetic", "--papers", "400", "--days", "2", "--atom-out", folder.FullName, "--per-file", "200")).ExitCode);
        var files = Directory.GetFiles(folder.FullName).Order().ToArray();
        var text = await File.ReadAllTextAsync(files[1]);
        await File.WriteAllTextAsync(files[1], text[..(text.Length / 2)]);

        var run = await SeedSyntheticCommandTests.RunAsync(database, ["import", .. files]);

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.Split('\n'));
        Assert.Contains("malformed XML", run.Error);
        Assert.Equal(0, (await CountAsync(database)).Papers);
        folder.Delete(recursive: true);
    }
}
