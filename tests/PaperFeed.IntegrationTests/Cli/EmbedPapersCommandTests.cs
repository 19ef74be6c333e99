using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Cli;

/// <summary>`embed-papers`, run as the binary runs it (a real process where it is killed): resumable after a kill, never a paper twice.</summary>
public sealed class EmbedPapersCommandTests
{
    private const int Papers = 40;

    private static PaperRecord[] Records() => [.. Enumerable.Range(1, Papers).Select(i => new PaperRecord
    {
        ArxivId = $"2606.3{i:D4}", Title = $"Paper number {i} about topic {i % 7}",
        Abstract = $"An abstract of paper {i}, which studies subject {i % 5} with method {i % 3}.", Authors = ["Ada Lovelace"],
        ListDay = new DateOnly(2026, 6, 3),
    })];

    // One paper a batch, so a kill lands between batches often.
    private static readonly Dictionary<string, string?> OnePerBatch = new() { ["Embeddings:BatchSize"] = "1" };

    // In this process (AppCommand); the killed run is a real process of the binary.
    private static Task<AppCommand.Run> RunAsync(TestDatabase database, params string[] args) => AppCommand.RunAsync(database, OnePerBatch, args);

    private static Task<int> VectorsAsync(PaperFeedApp app) => app.WithDbAsync(db => db.PaperEmbeddings.CountAsync());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_limited_run_then_a_full_run_embed_every_paper_once(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Records()));

        var first = await RunAsync(app.Database, "embed-papers", "--limit", "5");
        var rest = await RunAsync(app.Database, "embed-papers");
        var again = await RunAsync(app.Database, "embed-papers");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal("embedded 5 papers", first.Out[^1]);
        Assert.Equal($"embedded {Papers - 5} papers", rest.Out[^1]);
        Assert.Contains("embed-papers", rest.Error, StringComparison.Ordinal);
        Assert.Equal("embedded 0 papers", again.Out[^1]);
        Assert.Equal(Papers, await VectorsAsync(app));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_killed_run_resumes_where_it_stopped(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Records()));

        using (var process = Process.Start(AppCommand.ProcessStart(app.Database, OnePerBatch, "embed-papers"))!)
        {
            var clock = Stopwatch.StartNew();
            while (await VectorsAsync(app) == 0 && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(50);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var before = await VectorsAsync(app);
        var resumed = await RunAsync(app.Database, "embed-papers");

        Assert.InRange(before, 1, Papers);
        Assert.Equal($"embedded {Papers - before} papers", resumed.Out[^1]);
        Assert.Equal(Papers, await VectorsAsync(app));
        Assert.Equal(Papers, await app.WithDbAsync(db => db.PaperEmbeddings.Select(e => e.PaperId).Distinct().CountAsync()));
    }

    [Fact]
    public async Task Arguments_it_does_not_know_are_refused_with_a_line()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
        var run = await RunAsync(database, "embed-papers", "--everything");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("usage: embed-papers [--limit N]", run.Error);
    }
}
