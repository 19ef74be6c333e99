using System.CommandLine;
using PaperFeed.Cli;
using PaperFeed.Data;

namespace PaperFeed.Synthetic;

/// <summary>`seed-synthetic`: a deterministic test catalog (an empty catalog only), or with --atom-out the same papers as Atom files for `import`.</summary>
public sealed class SeedSyntheticCommand : OperatorCommand
{
    private readonly Option<int> _papers;
    private readonly Option<int> _days;
    private readonly Option<int> _seed;
    private readonly Option<DateOnly> _end;
    private readonly Option<string> _atomOut;
    private readonly Option<int> _perFile;

    public SeedSyntheticCommand() : base("seed-synthetic", "fill a test catalog",
        "usage: seed-synthetic --papers N --days N [--seed N] [--end YYYY-MM-DD] [--atom-out DIR [--per-file N]]")
    {
        _papers = Valued<int>("--papers", "N", "papers to make", Positive);
        _days = Valued<int>("--days", "N", "days they are spread over", Positive);
        _seed = Valued<int>("--seed", "N", "the generator's seed: the same seed makes the same catalog", int.TryParse);
        _seed.DefaultValueFactory = _ => 42;
        _end = Valued<DateOnly>("--end", "YYYY-MM-DD", "the last day (default: today, UTC)", Day);
        _atomOut = Valued<string>("--atom-out", "DIR", "write arXiv Atom files to DIR instead of filling the catalog",
            (string text, out string value) => (value = text) is { Length: > 0 });
        _perFile = Valued<int>("--per-file", "N", "papers per Atom file", Positive);
        _perFile.DefaultValueFactory = _ => 10_000;
        foreach (var option in new Option[] { _papers, _days, _seed, _end, _atomOut, _perFile }) Add(option);
        Validators.Add(result =>
        {
            if (result.GetResult(_papers) is null || result.GetResult(_days) is null) result.AddError(Usage);
        });
    }

    private static bool Positive(string text, out int value) => int.TryParse(text, out value) && value > 0;

    protected override async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct)
    {
        var (papers, days, seed) = (parse.GetValue(_papers), parse.GetValue(_days), parse.GetValue(_seed));
        var end = parse.GetResult(_end) is null ? DateOnly.FromDateTime(DateTime.UtcNow) : parse.GetValue(_end);
        SyntheticCatalog catalog;
        try
        {
            catalog = new SyntheticCatalog(new SyntheticOptions(papers, days, seed, end));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Fail(ex.Message.Split(" (Parameter", 2)[0]);
        }

        if (parse.GetValue(_atomOut) is { } atomOut)
        {
            // Files for `import` at scale, instead of the catalog: the arXiv side of the same papers.
            var folder = CallerPath(atomOut);
            var writing = new ProgressReporter(Name, papers);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var files = SyntheticAtomWriter.Write(catalog, new SyntheticSources(0, new Dictionary<string, int>()), folder, parse.GetValue(_perFile), writing.Report);
            writing.Done();
            Console.WriteLine($"wrote {papers} papers to {files.Count} Atom files in {folder} in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var seeder = ActivatorUtilities.CreateInstance<SyntheticSeeder>(scope.ServiceProvider);
        var progress = new ProgressReporter(Name, papers);
        var summary = await seeder.SeedAsync(catalog, progress.Report);
        progress.Done();
        Console.WriteLine($"seeded {summary.Papers} papers over {days} days ({catalog.FirstDay:yyyy-MM-dd} to {end:yyyy-MM-dd}, seed {seed}): "
            + $"{summary.Listings} listings, {summary.Topics} topic tags, {summary.Snapshots} upvote snapshots in {summary.Elapsed.TotalSeconds:0.0} s ({summary.PapersPerSecond:0} papers/s)");
        return 0;
    }
}
