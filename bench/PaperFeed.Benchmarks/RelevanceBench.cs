using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Embeddings;
using PaperFeed.Search;

namespace PaperFeed.Benchmarks;

/// <summary>
/// `relevance`: known-item queries against a catalog imported from the shared corpus (bench/relevance.sh builds it),
/// each answered four ways side by side — today's search (<see cref="PaperSearch.SearchAsync"/>), lexical only,
/// semantic only and hybrid (<see cref="HybridSearch"/>) — with recall@10, MRR@10, "no results" and p50/p95 latency
/// (query embedding included) per class of query. `relevance subset` writes the catalog's input: every target plus
/// a fixed spread of distractors.
/// </summary>
public static class RelevanceBench
{
    private enum Engine { Today, Lexical, Semantic, Hybrid }

    private sealed record Query(string Class, string Text, string Target);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var described = Option("--queries") ?? "bench/relevance/described.tsv";
        var targets = File.ReadAllLines(described).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t'))
            .Select(p => (Id: p[0], Text: p[1])).ToList();
        if (args.FirstOrDefault() == "scan")
            return Scan(int.Parse(Option("--papers") ?? "75000", CultureInfo.InvariantCulture),
                int.Parse(Option("--clusters") ?? "1000", CultureInfo.InvariantCulture),
                args.Contains("--embed") ? targets.Select(t => t.Text).Take(50).ToList() : []);
        if (args.FirstOrDefault() == "subset")
            return Subset(Option("--corpus") ?? "../shared/corpus/arxiv-cs-daily-2025-03-to-2026-07.jsonl.gz", Option("--out")!,
                int.Parse(Option("--distractors") ?? "5000", CultureInfo.InvariantCulture), targets.Select(t => t.Id).ToHashSet());

        var sqlite = Option("--sqlite") ?? throw new ArgumentException("relevance: give --sqlite catalog.db");
        CatalogDbContext NewContext() =>
            new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite($"Data Source={sqlite}").Options);

        // No query cache: each engine pays its own query embedding, as an uncached search does.
        var embeddingOptions = Options.Create(new EmbeddingsOptions { RefreshSeconds = 3600, QueryCacheSize = 0 });
        var searchOptions = Options.Create(new SearchOptions());
        if (Option("--min-score") is { } minScore) searchOptions.Value.SemanticMinScore = double.Parse(minScore, CultureInfo.InvariantCulture);
        var embedder = new TextEmbedder(embeddingOptions);
        var index = new EmbeddingIndex(embedder, embeddingOptions);

        // The targets as stored (titles cleaned at ingest), and document frequencies of title words for "rare words".
        List<Query> queries;
        int papers, vectors;
        await using (var db = NewContext())
        {
            papers = await db.Papers.CountAsync();
            vectors = await db.PaperEmbeddings.CountAsync(e => e.Model == embedder.Model);
            var ids = targets.Select(t => t.Id).ToList();
            var stored = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.ArxivId!))
                .Select(p => new { p.ArxivId, p.Title, p.Abstract }).ToDictionaryAsync(p => p.ArxivId!);
            var df = new Dictionary<string, int>();
            await foreach (var title in db.Papers.AsNoTracking().Select(p => p.Title).AsAsyncEnumerable())
                foreach (var w in Words(title).Distinct()) df[w] = df.GetValueOrDefault(w) + 1;
            queries = [];
            foreach (var (id, text) in targets)
            {
                if (!stored.TryGetValue(id, out var p)) { Console.Error.WriteLine($"relevance: {id} is not in the catalog"); return 1; }
                queries.Add(new("described", text, id));
                queries.Add(new("exact title", p.Title, id));
                queries.Add(new("rare words", string.Join(' ', Words(p.Title).Distinct().OrderBy(w => df.GetValueOrDefault(w)).ThenBy(w => w, StringComparer.Ordinal).Take(3)), id));
                queries.Add(new("typo", Typo(p.Title), id));
                queries.Add(new("sentence", Sentence(p.Abstract ?? ""), id));
            }
        }
        Console.WriteLine($"catalog: {papers:N0} papers (SQLite), {vectors:N0} with a vector of {embedder.Model}; {targets.Count} target papers, " +
                          $"{queries.Count} queries; semantic hits need a cosine of {searchOptions.Value.SemanticMinScore:0.00}");

        // Spelling reads the titles through a scope of its own, as in the app.
        var spelling = new Spelling(new ServiceCollection().AddScoped(_ => NewContext()).BuildServiceProvider()
            .GetRequiredService<IServiceScopeFactory>(), TimeProvider.System);
        var engines = Enum.GetValues<Engine>();
        var results = new Dictionary<(Query, Engine), (int Rank, bool Empty, double Ms)>();
        // One warm-up (model load, the vector matrix, SQLite's cache), then every query once per engine.
        await using (var warm = NewContext())
            await new HybridSearch(warm, embedder, index, searchOptions, embeddingOptions, spelling).SearchAsync("warm up", SearchQuery.Parse("warm up")!, 1, 10, CancellationToken.None);
        foreach (var q in queries)
        {
            var parsed = SearchQuery.Parse(q.Text);
            foreach (var engine in engines)
            {
                await using var db = NewContext();
                var clock = Stopwatch.StartNew();
                var found = parsed is null ? new SearchResults([], 0, false) : engine switch
                {
                    Engine.Today => await PaperSearch.SearchAsync(db, parsed, 1, 10, searchOptions.Value.Candidates, CancellationToken.None),
                    _ => await new HybridSearch(db, embedder, index, searchOptions, embeddingOptions, spelling).SearchAsync(q.Text, parsed, 1, 10,
                        CancellationToken.None, engine switch { Engine.Lexical => SearchMode.Lexical, Engine.Semantic => SearchMode.Semantic, _ => SearchMode.Hybrid }),
                };
                clock.Stop();
                var rank = found.Papers.FindIndex(p => p.ArxivId == q.Target) + 1;
                results[(q, engine)] = (rank, found.Papers.Count == 0, clock.Elapsed.TotalMilliseconds);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"class",-12} {"engine",-9} {"queries",7} {"recall@10",9} {"MRR@10",7} {"no results",10} {"p50 ms",7} {"p95 ms",7} {"max ms",7}");
        foreach (var group in queries.GroupBy(q => q.Class).Append(queries.GroupBy(_ => "all").Single()))
            foreach (var engine in engines)
            {
                var r = group.Select(q => results[(q, engine)]).ToList();
                var ms = r.Select(x => x.Ms).ToList();
                Console.WriteLine($"{group.Key,-12} {engine,-9} {r.Count,7} {r.Count(x => x.Rank > 0) / (double)r.Count,9:F2} " +
                                  $"{r.Average(x => x.Rank > 0 ? 1.0 / x.Rank : 0),7:F2} {r.Count(x => x.Empty),10} {P(ms, 50),7:F1} {P(ms, 95),7:F1} {ms.Max(),7:F1}");
            }
        Console.WriteLine();
        Console.WriteLine("described queries the hybrid engine misses in its first ten (target: query):");
        foreach (var q in queries.Where(q => q.Class == "described" && results[(q, Engine.Hybrid)].Rank == 0))
            Console.WriteLine($"  {q.Target}: {q.Text}");
        return 0;
    }

    private static IEnumerable<string> Words(string text) =>
        SearchQuery.Parse(text)?.Terms.Where(w => w.Length > 2) ?? [];

    /// <summary>One letter changed (the middle letter of the title's longest word becomes the next letter of the alphabet).</summary>
    private static string Typo(string title)
    {
        var words = title.Split(' ');
        var i = Array.IndexOf(words, words.OrderByDescending(w => w.Count(char.IsLetter)).First());
        var w = words[i].ToCharArray();
        var letters = Enumerable.Range(0, w.Length).Where(k => char.IsLetter(w[k])).ToList();
        var k = letters[letters.Count / 2];
        w[k] = w[k] is 'z' or 'Z' ? (char)(w[k] - 1) : (char)(w[k] + 1);
        words[i] = new string(w);
        return string.Join(' ', words);
    }

    /// <summary>The abstract's second sentence (the first is often generic), or its first.</summary>
    private static string Sentence(string abstractText)
    {
        var sentences = abstractText.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return sentences.Length > 1 && sentences[1].Split(' ').Length >= 6 ? sentences[1] : sentences[0];
    }

    /// <summary>
    /// The nearest-neighbour scan alone on N generated unit vectors (its speed does not depend on their meaning): the
    /// float32 scan it replaced and the int8 scan (<see cref="QuantizedVectors"/>) on one and two cores, 50 queries each,
    /// top 100, p50/p95 ms; the process's resident memory with the int8 vectors alone, then with the float matrix too;
    /// and how many of the float scan's top 10 the int8 scan finds. <paramref name="clusters"/> > 0 draws papers around
    /// that many centres (as topics are: close neighbours, small gaps between them), 0 uniformly (all cosines near 0).
    /// Then the query embedding, idle: the model's time per query (uncached) and a cached query's.
    /// </summary>
    private static int Scan(int papers, int clusters, List<string> sampleQueries)
    {
        const int d = TextEmbedder.Dimensions;
        var random = new Random(13);
        var centres = Enumerable.Range(0, clusters).Select(_ => Unit(random, null, 1)).ToArray();
        float[] Unit(Random random, float[]? near, double spread)
        {
            var v = new float[d];
            for (var i = 0; i < d; i++) v[i] = (near?[i] ?? 0) + (float)((random.NextDouble() * 2 - 1) * spread);
            var norm = MathF.Sqrt(EmbeddingIndex.Dot(v, v));
            for (var i = 0; i < d; i++) v[i] /= norm;
            return v;
        }
        float[] Paper(Random random) => clusters == 0 ? Unit(random, null, 1) : Unit(random, centres[random.Next(clusters)], 0.08);
        static long Resident()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return Process.GetCurrentProcess().WorkingSet64;
        }

        var baseline = Resident();
        var builder = new QuantizedVectors.Builder();
        var generator = new Random(42);
        for (var row = 0; row < papers; row++) builder.Add(row + 1, Paper(generator));
        var vectors = builder.Build();
        var withInt8 = Resident();
        generator = new Random(42);
        var ids = Enumerable.Range(1, papers).Select(i => (long)i).ToArray();
        var matrix = new float[(long)papers * d];
        for (var row = 0; row < papers; row++) Paper(generator).CopyTo(matrix, (long)row * d);
        var withFloat = Resident();
        Console.WriteLine($"scan: {papers:N0} vectors, {(clusters == 0 ? "uniform" : $"{clusters} clusters")}; int8 {vectors.Bytes / 1e6:N0} MB, float32 {matrix.LongLength * sizeof(float) / 1e6:N0} MB; " +
                          $"resident: {baseline / 1e6:N0} MB before, {withInt8 / 1e6:N0} MB with int8, {withFloat / 1e6:N0} MB with float32 too");

        var queries = Enumerable.Range(0, 55).Select(_ => Paper(random)).ToList();
        void Time(string name, Func<float[], List<long>> scan)
        {
            var times = new List<double>();
            for (var q = 0; q < queries.Count; q++)
            {
                var clock = Stopwatch.StartNew();
                scan(queries[q]);
                if (q >= 5) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"  {name,-16} top 100: p50 {P(times, 50),6:F1} ms, p95 {P(times, 95),6:F1} ms, max {times.Max(),6:F1} ms");
        }
        Time("float32, 1 core", q => FloatNearest(ids, matrix, q, 100).Select(n => n.Id).ToList());
        Time("int8, 1 core", q => vectors.Nearest(q, 100, -1, null).Select(n => n.PaperId).ToList());
        Time("int8, 2 cores", q => vectors.Nearest(q, 100, -1, null, 2).Select(n => n.PaperId).ToList());

        var overlap = queries.Skip(5).Select(q => FloatNearest(ids, matrix, q, 10).Select(n => n.Id)
            .Intersect(vectors.Nearest(q, 10, -1, null).Select(n => n.PaperId)).Count() / 10.0).ToList();
        Console.WriteLine($"  int8 top 10 ∩ float32 top 10: mean {overlap.Average():F3}, min {overlap.Min():F1} over {overlap.Count} queries");

        if (sampleQueries.Count > 0)
        {
            var embedder = new TextEmbedder(Options.Create(new EmbeddingsOptions()));
            embedder.Embed(["warm up the model"]);
            var model = new List<double>();
            var cached = new List<double>();
            foreach (var text in sampleQueries)
            {
                var clock = Stopwatch.StartNew();
                embedder.EmbedQuery(text);
                model.Add(clock.Elapsed.TotalMilliseconds);
                clock.Restart();
                embedder.EmbedQuery(text);
                cached.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"  query embedding ({model.Count} described queries): model p50 {P(model, 50):F1} ms, p95 {P(model, 95):F1} ms; cached p50 {P(cached, 50) * 1000:F0} µs");
        }
        return 0;
    }

    /// <summary>The float32 scan the int8 one replaced (a dot product per row, a k-heap), as the reference.</summary>
    private static List<(long Id, float Score)> FloatNearest(long[] ids, float[] matrix, float[] query, int k)
    {
        const int d = TextEmbedder.Dimensions;
        var best = new PriorityQueue<int, (float Score, long NegId)>(k + 1);
        var rows = matrix.AsSpan();
        for (var row = 0; row < ids.Length; row++)
        {
            var key = (EmbeddingIndex.Dot(query, rows.Slice(row * d, d)), -ids[row]);
            if (best.Count < k) best.Enqueue(row, key);
            else if (best.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0) best.EnqueueDequeue(row, key);
        }
        var result = new List<(long, float)>(best.Count);
        while (best.TryDequeue(out var row, out var key)) result.Add((ids[row], key.Score));
        result.Reverse();
        return result;
    }

    /// <summary>Writes the targets and every k-th other paper of the corpus (an even spread over its days) as JSON lines.</summary>
    private static int Subset(string corpus, string output, int distractors, HashSet<string> targets)
    {
        var lines = new List<string>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(corpus), CompressionMode.Decompress)))
            for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine()) lines.Add(line);
        var step = Math.Max(1, lines.Count / Math.Max(distractors, 1));
        var kept = 0;
        using var writer = new StreamWriter(output);
        for (var i = 0; i < lines.Count; i++)
        {
            var id = JsonDocument.Parse(lines[i]).RootElement.GetProperty("id").GetString()!;
            if (!targets.Remove(id) && (i % step != 0 || kept++ >= distractors)) continue;
            writer.WriteLine(lines[i]);
        }
        if (targets.Count > 0) { Console.Error.WriteLine($"relevance subset: not in the corpus: {string.Join(", ", targets)}"); return 1; }
        Console.WriteLine($"wrote the targets and {Math.Min(kept, distractors)} distractors to {output}");
        return 0;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
