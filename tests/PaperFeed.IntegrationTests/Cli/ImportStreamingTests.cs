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
    [InlineData(DatabaseProvider.Postgres, 6_000)]
    [InlineData(DatabaseProvider.Sqlite, 1_200)]
    public async Task Synthetic_atom_files_import_once_then_change_nothing(DatabaseProvider provider, int count)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(provider);
        var folder = Directory.CreateTempSubdirectory("paperfeed-atom-");
        var written = await SeedSyntheticCommandTests.RunAsync(database, "seed-synthetic", "--papers", $"{count}", "--days", "20", "--atom-out", folder.FullName, "--per-file", $"{count * 5 / 12}");
        Assert.Equal(0, written.ExitCode);
        var files = Directory.GetFiles(folder.FullName).Order().ToArray();
        Assert.Equal(3, files.Length);

        var first = await SeedSyntheticCommandTests.RunAsync(database, ["import", .. files]);
        var second = await SeedSyntheticCommandTests.RunAsync(database, ["import", .. files]);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"imported {count} papers: {count} new, 0 updated", first.Out[^1]);
        Assert.Contains(first.Out, l => l.EndsWith($"arXiv API Atom, {count * 5 / 12} papers: {count * 5 / 12} new, 0 updated", StringComparison.Ordinal));
        if (count >= 5_000) Assert.Contains("import: 100 %", first.Error); // progress on long runs, on stderr
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"imported {count} papers: 0 new, 0 updated", second.Out[^1]);
        var (papers, topics, sources) = await CountAsync(database);
        Assert.Equal(((long)count, (long)count), (papers, sources));
        Assert.True(topics > count, $"{topics} topic tags for {count} papers");
        folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_cut_off_atom_file_among_good_ones_writes_nothing()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
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
