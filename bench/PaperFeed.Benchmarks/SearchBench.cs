using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Search;

namespace PaperFeed.Benchmarks;

/// <summary>
/// `search`: runs a fixed list of queries through the search page's own code path (<see cref="PaperSearch.SearchAsync"/>:
/// rank, count, one page of cards) against a catalog, many times, and prints p50 / p95 / max per class of query.
/// Not BenchmarkDotNet: what matters here is the tail over a spread of queries on a real database, not one call's mean.
/// </summary>
public static class SearchBench
{
    /// <summary>Class, query. Words that a catalog of ML papers holds in most, many or few papers; the tool prints each one's matches.</summary>
    public static readonly (string Class, string Query)[] DefaultQueries =
    [
        ("common word", "learning"), ("common word", "model"), ("common word", "data"), ("common word", "results"),
        ("common word", "language"), ("common word", "performance"),
        ("rare word", "splatting"), ("rare word", "diarization"), ("rare word", "spectrogram"), ("rare word", "sycophancy"),
        ("rare word", "term4242"), ("rare word", "zyxwvut"),
        ("2-3 words", "reinforcement learning"), ("2-3 words", "graph neural network"), ("2-3 words", "diffusion video generation"),
        ("2-3 words", "language model evaluation"), ("2-3 words", "robot manipulation policy"), ("2-3 words", "speech recognition"),
        ("phrase", "\"large language model\""), ("phrase", "\"reinforcement learning\""), ("phrase", "\"object detection\""),
        ("phrase", "\"point cloud\""), ("phrase", "\"state of the art\""), ("phrase", "\"data augmentation\""),
        ("stemmed form", "models"), ("stemmed form", "learned"), ("stemmed form", "transformers"), ("stemmed form", "segmenting"),
        ("author", "author:smith"), ("author", "author:wang"),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var connection = Option("--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__Catalog");
        var sqlite = Option("--sqlite");
        var runs = int.Parse(Option("--runs") ?? "20", CultureInfo.InvariantCulture);
        var candidates = int.Parse(Option("--candidates") ?? "500", CultureInfo.InvariantCulture);
        var pageSize = int.Parse(Option("--page-size") ?? "50", CultureInfo.InvariantCulture);
        // PostgreSQL: papers holding a phrase's words checked at most (Search:PhraseCheckRows); 2·candidates is the bound before issue 13.
        var checkRows = int.Parse(Option("--check-rows") ?? SearchOptions.DefaultPhraseCheckRows.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var queries = Option("--queries") is { } file
            ? File.ReadAllLines(file).Where(l => l.Contains('\t')).Select(l => (Class: l.Split('\t')[0], Query: l.Split('\t')[1])).ToArray()
            : DefaultQueries;
        if (connection is null && sqlite is null)
        {
            Console.Error.WriteLine("search: give --connection \"Host=…;Database=…\" (PostgreSQL) or --sqlite path.db");
            return 2;
        }

        CatalogDbContext NewContext() => sqlite is not null
            ? new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite($"Data Source={sqlite}").Options)
            : new PostgresCatalogDbContext(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql(connection).Options);

        await using (var db = NewContext())
            Console.WriteLine($"catalog: {await db.Papers.CountAsync():N0} papers ({(sqlite is null ? "PostgreSQL" : "SQLite")}); " +
                              $"{runs} runs per query, page 1 of {pageSize}, {candidates} candidates, {checkRows} phrase checks");

        // One warm-up pass (plans, caches), then the runs interleaved so a background hiccup spreads over all queries.
        var times = queries.ToDictionary(q => q, _ => new List<double>());
        var totals = new Dictionary<(string, string), (int Total, bool Capped, bool Bounded)>();
        for (var run = -1; run < runs; run++)
        {
            foreach (var q in queries)
            {
                var parsed = SearchQuery.Parse(q.Query)!;
                await using var db = NewContext();
                var clock = Stopwatch.StartNew();
                var results = await PaperSearch.SearchAsync(db, parsed, 1, pageSize, candidates, CancellationToken.None, checkRows);
                clock.Stop();
                if (run < 0) totals[q] = (results.Total, results.Capped, results.CheckedSince is not null);
                else times[q].Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"query",-34} {"results",9} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        foreach (var q in queries)
        {
            var t = times[q];
            Console.WriteLine($"{q.Query,-34} {totals[q].Total + (totals[q].Capped ? "+" : "") + (totals[q].Bounded ? "~" : ""),9} {P(t, 50),8:F1} {P(t, 95),8:F1} {t.Max(),8:F1}");
        }
        Console.WriteLine();
        Console.WriteLine($"{"class",-34} {"queries",9} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        foreach (var group in queries.GroupBy(q => q.Class))
        {
            var t = group.SelectMany(q => times[q]).ToList();
            Console.WriteLine($"{group.Key,-34} {group.Count(),9} {P(t, 50),8:F1} {P(t, 95),8:F1} {t.Max(),8:F1}");
        }
        var all = times.Values.SelectMany(t => t).ToList();
        Console.WriteLine($"{"all",-34} {queries.Length,9} {P(all, 50),8:F1} {P(all, 95),8:F1} {all.Max(),8:F1}");
        Console.WriteLine("(results: ranked matches; + means the candidate bound was reached; ~ that only the most recently added papers holding the words were checked for the phrase or author)");
        return 0;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
