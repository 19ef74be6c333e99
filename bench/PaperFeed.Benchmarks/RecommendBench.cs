using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using PaperFeed.ForYou;
using PaperFeed.Papers.Related;

namespace PaperFeed.Benchmarks;

/// <summary>
/// `recommend`: offline quality of the "for you" ranking (issue 14) on the real corpus (../shared/corpus), against
/// baselines, side by side in one run. Tasks: (a) author continuation — an author's first 3 papers are the profile; on
/// each later day holding one of their papers, that day's papers are ranked; (b) niche — the first 5 papers of a rare
/// category are the profile, its later papers the targets. Metrics per query (one unit, one day): recall@20 and AUC;
/// averaged per unit (author or category), then over units, with bootstrap 95 % intervals over units.
/// "Yours" is the site's own <see cref="ReaderModel"/>, called exactly as sort=foryou calls it.
/// </summary>
public static class RecommendBench
{
    private sealed record CorpusPaper(string Id, DateOnly Day, string Title, string Abstract, string[] Authors, string[] Categories)
    {
        public string Primary => Categories.Length > 0 ? Categories[0] : "";
        public PaperText Text { get; } = new(0, Id, Title, Abstract, [.. Categories]);
    }

    /// <summary>A unit of evaluation: a profile, and the days to rank with the papers of each that are targets.</summary>
    private sealed record Unit(string Name, List<int> Profile, List<(int Day, HashSet<int> Targets)> Days)
    {
        /// <summary>Task (c): papers marked "not for me" (empty in (a) and (b)).</summary>
        public List<int> Negatives { get; init; } = [];
    }

    private delegate Func<int, double> Method(Unit unit, List<int> candidates);

    private const int RecallAt = 20;
    private const int MaxDaysPerUnit = 10;
    private const int Bootstrap = 1000;

    public static int Run(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var path = Option("--corpus") ?? "../shared/corpus/arxiv-cs-daily-2025-03-to-2026-07.jsonl.gz";
        var authors = int.Parse(Option("--authors") ?? "300", CultureInfo.InvariantCulture);
        // --skip N: leave out the first N sampled authors (a tuning run on authors the reported run does not use).
        var skip = int.Parse(Option("--skip") ?? "0", CultureInfo.InvariantCulture);
        // --tune: only the site's model, over a small grid of its weights.
        var tune = args.Contains("--tune");
        // --only c: task (c) alone (its SVM baseline costs as much as (a)'s).
        var only = Option("--only");
        // --negatives: task (c) alone, the site's model only: "not for me" weights and the same papers as "less like this".
        var negativesGrid = args.Contains("--negatives");
        if (negativesGrid) only = "c";
        var clock = Stopwatch.StartNew();
        var papers = Load(path);
        var days = papers.Select((p, i) => (p.Day, i)).GroupBy(x => x.Day).OrderBy(g => g.Key).Select(g => g.Select(x => x.i).ToList()).ToList();
        var dayIndex = papers.Select(p => p.Day).Distinct().Order().Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        Console.WriteLine($"Corpus: {papers.Count:N0} papers on {days.Count} days, read in {clock.Elapsed.TotalSeconds:F1} s");

        var authorUnits = AuthorUnits(papers, dayIndex, authors + skip).Skip(skip).ToList();
        var nicheUnits = NicheUnits(papers, dayIndex);
        Console.WriteLine($"Task (a): {authorUnits.Count} authors with >= 6 papers over >= 60 days, {authorUnits.Sum(u => u.Days.Count)} ranked days; "
            + $"task (b): {nicheUnits.Count} rare categories, {nicheUnits.Sum(u => u.Days.Count)} ranked days");

        // Global statistics for the baselines that use them (arxiv-sanity-lite fits its tf-idf on the whole catalog).
        var unigram = tune ? null! : new GlobalTfIdf(papers.Select(p => Unigrams(p)).ToList());
        var bigram = tune || negativesGrid ? null! : new GlobalTfIdf(papers.Select(p => UniAndBigrams(p)).ToList());
        Console.WriteLine($"Global tf-idf vectors built in {clock.Elapsed.TotalSeconds:F1} s");
        var random = new Random(14);

        var svms = new Dictionary<Unit, Dictionary<int, double>>(ReferenceEqualityComparer.Instance);
        var termCounts = new Dictionary<int, Dictionary<string, int>>();
        Dictionary<string, int> Tf(int i) => termCounts.TryGetValue(i, out var tf) ? tf
            : termCounts[i] = Tokens(papers[i]).GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var grid = (from bigrams in new[] { false, true } from linear in new[] { 0.0, 0.25, 1.0 }
                    select ReaderSettings.Default with { Bigrams = bigrams, LinearWeight = linear }).ToList();
        var methods = tune ? grid.Select(g => ($"yours: bigrams {g.Bigrams}, linear {g.LinearWeight}", (Method)((u, c) => Yours(papers, u, c, true, g)))).ToArray() : new (string Name, Method Make)[]
        {
            ("newest first", (_, _) => i => double.Parse(papers[i].Id.Replace(".", ""), CultureInfo.InvariantCulture)),
            ("primary category match", (u, _) =>
            {
                var primaries = u.Profile.Select(i => papers[i].Primary).ToList();
                return i => primaries.Count(p => p == papers[i].Primary);
            }),
            ("BM25 of the profile text", (u, c) => Bm25(u.Profile.SelectMany(i => Tokens(papers[i])).ToList(), c.ToDictionary(i => i, Tf))),
            ("tf-idf 1-2-grams + linear SVM", (u, _) =>
            {
                if (svms.TryGetValue(u, out var trained)) return i => LinearSvm.Decision(trained, bigram.Vectors[i]);
                var profile = u.Profile.ToHashSet();
                var first = papers[u.Profile[^1]].Day;
                // Negatives: a random sample of the catalog up to the profile's last day (arxiv-sanity-lite uses all papers).
                var pool = Enumerable.Range(0, papers.Count).Where(i => papers[i].Day <= first && !profile.Contains(i)).ToList();
                // Task (c): the "not for me" papers join the negatives.
                var negatives = pool.OrderBy(_ => random.Next()).Take(2000).Concat(u.Negatives).ToList();
                var w = svms[u] = LinearSvm.Train([.. u.Profile.Select(i => (bigram.Vectors[i], 1)), .. negatives.Select(i => (bigram.Vectors[i], -1))], c: 0.01);
                return i => LinearSvm.Decision(w, bigram.Vectors[i]);
            }),
            // With "not for me" papers (task c): less half the best cosine to one of them, as ReaderModel's default.
            ("nearest liked paper (tf-idf cosine)", (u, _) => i => u.Profile.Max(p => Dot(unigram.Vectors[p], unigram.Vectors[i]))
                - (u.Negatives.Count == 0 ? 0 : 0.5 * u.Negatives.Max(n => Dot(unigram.Vectors[n], unigram.Vectors[i])))),
            ("yours: ReaderModel", (u, c) => Yours(papers, u, c, categories: true, ReaderSettings.Default)),
            ("yours without categories", (u, c) => Yours(papers, u, c, categories: false, ReaderSettings.Default)),
            ("yours as of 3 Dec (no bigrams, no linear model)", (u, c) => Yours(papers, u, c, categories: true, ReaderSettings.Default with { Bigrams = false, LinearWeight = 0 })),
        };

        // Task (c): the (a) authors, each with 3 "not for me" papers: on each profile paper's day, the paper they did not write nearest to their profile.
        var negativeUnits = tune ? [] : authorUnits.Select(u => u with { Negatives = NearMisses(u, papers, days, dayIndex, unigram) }).ToList();
        var negativeMethods = negativesGrid ? new (string Name, Method Make)[]
        {
            ("yours, negatives ignored (= task a)", (u, c) => Yours(papers, u with { Negatives = [] }, c, true, ReaderSettings.Default)),
            ("yours, not for me, cosine weight 0.5 (until 8 Dec)", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default with { LinearNotForMeWeight = 0.5 })),
            ("yours, not for me, cosine weight 0.25", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default with { LinearNotForMeWeight = 0.25 })),
            ("yours, not for me, linear model only (default)", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default)),
            ("yours, the same papers as \"less like this\" (5 words, 0.5)", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default with { LessLikeWeight = 0.5 }, SignalKind.LessLike)),
            ("yours, the same papers as \"less like this\" (5 words, 0.25, default)", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default, SignalKind.LessLike)),
        } : methods.Where(m => m.Item1 != "yours without categories").Concat(tune ? [] : new (string Name, Method Make)[]
        {
            ("yours, not-for-me ignored (= task a)", (u, c) => Yours(papers, u with { Negatives = [] }, c, true, ReaderSettings.Default)),
            ("yours linear model only (no bigrams)", (u, c) => Yours(papers, u, c, true, ReaderSettings.Default with { Bigrams = false })),
            ("yours linear only, not-for-me ignored", (u, c) => Yours(papers, u with { Negatives = [] }, c, true, ReaderSettings.Default with { Bigrams = false })),
        }).ToArray();
        foreach (var (task, units, taskMethods) in new[] { ("(a) author continuation", authorUnits, methods), ("(b) niche category", nicheUnits, methods),
                     ("(c) author continuation with 3 \"not for me\"", negativeUnits, negativeMethods) })
        {
            if (units.Count == 0 || (only is not null && !task.StartsWith($"({only})", StringComparison.Ordinal))) continue;
            Console.WriteLine();
            Console.WriteLine($"Task {task}: {units.Count} units, {units.Sum(u => u.Days.Count)} ranked days, {units.Sum(u => u.Days.Sum(d => days[d.Day].Count)):N0} candidates");
            Console.WriteLine($"| method | recall@{RecallAt} | 95 % CI | AUC | 95 % CI | ms per ranked day |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var (name, make) in taskMethods)
            {
                var timer = Stopwatch.StartNew();
                var perUnit = units.Select(u => Evaluate(u, days, make)).ToList();
                var ms = timer.Elapsed.TotalMilliseconds / units.Sum(u => u.Days.Count);
                var (recall, recallLow, recallHigh) = MeanWithInterval(perUnit.Select(x => x.Recall).ToList());
                var (auc, aucLow, aucHigh) = MeanWithInterval(perUnit.Select(x => x.Auc).ToList());
                Console.WriteLine($"| {name} | {recall:F3} | {recallLow:F3}–{recallHigh:F3} | {auc:F3} | {aucLow:F3}–{aucHigh:F3} | {ms:F1} |");
            }
        }
        if (!tune && only is null) Speed(papers);
        Console.WriteLine($"\nTotal {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    private static Func<int, double> Yours(List<CorpusPaper> papers, Unit unit, List<int> candidates, bool categories, ReaderSettings settings,
        SignalKind negative = SignalKind.NotForMe)
    {
        PaperText Text(int i) => categories ? papers[i].Text with { Id = i } : papers[i].Text with { Id = i, Categories = [] };
        var profile = unit.Profile.Select(i => new ProfilePaper(Text(i), SignalKind.Upvoted))
            .Concat(unit.Negatives.Select(i => new ProfilePaper(Text(i), negative))).ToList();
        var model = ReaderModel.Train(profile, candidates.Select(Text).ToList(), settings);
        return i => model.Score(i).Score;
    }

    /// <summary>What sort=foryou costs in memory per request: train on a profile and rank a list, at the sizes the site caps.</summary>
    private static void Speed(List<CorpusPaper> papers)
    {
        Console.WriteLine();
        Console.WriteLine("| profile papers | candidates | p50 ms | p95 ms |");
        Console.WriteLine("|---|---|---|---|");
        var random = new Random(7);
        foreach (var (profileSize, candidateCount) in new[] { (10, 200), (100, 200), (500, 200), (100, 2000), (500, 2000) })
        {
            var times = new List<double>();
            for (var run = 0; run < 30; run++)
            {
                var start = random.Next(papers.Count - candidateCount - profileSize);
                var profile = Enumerable.Range(start, profileSize).Select(i => new ProfilePaper(papers[i].Text with { Id = i }, SignalKind.Upvoted)).ToList();
                var candidates = Enumerable.Range(start + profileSize, candidateCount).Select(i => papers[i].Text with { Id = i }).ToList();
                var timer = Stopwatch.StartNew();
                ReaderModel.Train(profile, candidates).Rank(candidates);
                times.Add(timer.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"| {profileSize} | {candidateCount} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95)]:F1} |");
        }
    }

    private static (double Recall, double Auc) Evaluate(Unit unit, List<List<int>> days, Method make)
    {
        double recall = 0, auc = 0;
        foreach (var (day, targets) in unit.Days)
        {
            var candidates = days[day];
            var score = make(unit, candidates);
            // Ties broken by position in the day's list, the same for every method.
            var ranked = candidates.Select((c, k) => (c, s: score(c), k)).OrderByDescending(x => x.s).ThenBy(x => x.k).ToList();
            recall += (double)ranked.Take(RecallAt).Count(x => targets.Contains(x.c)) / targets.Count;
            auc += Auc(ranked.Select(x => (x.s, targets.Contains(x.c))).ToList());
        }
        return (recall / unit.Days.Count, auc / unit.Days.Count);
    }

    /// <summary>Probability that a target outranks a non-target (ties count half), by ranks.</summary>
    private static double Auc(List<(double Score, bool Positive)> scored)
    {
        var sorted = scored.OrderBy(x => x.Score).ToList();
        double rankSum = 0;
        var positives = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j < sorted.Count && sorted[j].Score == sorted[i].Score) j++;
            var midRank = (i + j + 1) / 2.0;
            for (var k = i; k < j; k++)
                if (sorted[k].Positive) { rankSum += midRank; positives++; }
            i = j;
        }
        var negatives = sorted.Count - positives;
        if (positives == 0 || negatives == 0) return 0.5;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    private static (double Mean, double Low, double High) MeanWithInterval(List<double> values)
    {
        var random = new Random(2026);
        var means = new double[Bootstrap];
        for (var b = 0; b < Bootstrap; b++)
        {
            double sum = 0;
            for (var k = 0; k < values.Count; k++) sum += values[random.Next(values.Count)];
            means[b] = sum / values.Count;
        }
        Array.Sort(means);
        return (values.Average(), means[(int)(Bootstrap * 0.025)], means[(int)(Bootstrap * 0.975)]);
    }

    // ---- the corpus and the two tasks ----

    private static List<CorpusPaper> Load(string path)
    {
        var papers = new List<CorpusPaper>();
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var authors = root.GetProperty("authors").EnumerateArray().Select(a => a.GetString()!).ToArray();
            // Author names removed from all text: a method must not find an author by their name.
            string Strip(string text)
            {
                foreach (var author in authors)
                    if (author.Length > 2) text = text.Replace(author, " ", StringComparison.OrdinalIgnoreCase);
                return text;
            }
            papers.Add(new CorpusPaper(root.GetProperty("id").GetString()!,
                DateOnly.ParseExact(root.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Strip(root.GetProperty("title").GetString()!), Strip(root.GetProperty("abstract").GetString()!), authors,
                root.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!).ToArray()));
        }
        return papers;
    }

    /// <summary>Authors with ≥ 6 papers over ≥ 60 days, a fixed random sample: the first 3 papers are the profile.</summary>
    private static List<Unit> AuthorUnits(List<CorpusPaper> papers, Dictionary<DateOnly, int> dayIndex, int count)
    {
        var byAuthor = new Dictionary<string, List<int>>();
        for (var i = 0; i < papers.Count; i++)
            foreach (var author in papers[i].Authors.Distinct())
            {
                if (!byAuthor.TryGetValue(author, out var list)) byAuthor[author] = list = [];
                list.Add(i);
            }
        var eligible = byAuthor.Where(a => a.Value.Count >= 6 && papers[a.Value[^1]].Day.DayNumber - papers[a.Value[0]].Day.DayNumber >= 60)
            .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        var random = new Random(14);
        var units = new List<Unit>();
        foreach (var (author, list) in eligible.OrderBy(_ => random.Next()))
        {
            var ordered = list.OrderBy(i => papers[i].Day).ThenBy(i => papers[i].Id, StringComparer.Ordinal).ToList();
            if (ToUnit(author, ordered, 3, papers, dayIndex) is { } unit) units.Add(unit);
            if (units.Count == count) break;
        }
        return units;
    }

    /// <summary>Categories on 40–400 papers (none of the three listed ones, nor cs.LG): the first 5 papers are the profile.</summary>
    private static List<Unit> NicheUnits(List<CorpusPaper> papers, Dictionary<DateOnly, int> dayIndex)
    {
        string[] common = ["cs.CV", "cs.CL", "cs.AI", "cs.LG"];
        return papers.SelectMany((p, i) => p.Categories.Select(c => (c, i))).GroupBy(x => x.c)
            .Where(g => g.Count() is >= 40 and <= 400 && !common.Contains(g.Key)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => ToUnit(g.Key, g.Select(x => x.i).OrderBy(i => papers[i].Day).ThenBy(i => papers[i].Id, StringComparer.Ordinal).ToList(), 5, papers, dayIndex))
            .OfType<Unit>().ToList();
    }

    /// <summary>
    /// Task (c)'s "not for me" papers: for each profile paper, on its day, the paper not by the author (nor in the profile)
    /// with the highest tf-idf cosine to any profile paper — a near miss, the hardest kind of negative.
    /// </summary>
    private static List<int> NearMisses(Unit unit, List<CorpusPaper> papers, List<List<int>> days, Dictionary<DateOnly, int> dayIndex, GlobalTfIdf tfidf)
    {
        var chosen = new List<int>();
        foreach (var like in unit.Profile)
        {
            var best = days[dayIndex[papers[like].Day]]
                .Where(i => !unit.Profile.Contains(i) && !chosen.Contains(i) && !papers[i].Authors.Contains(unit.Name))
                .Select(i => (i, s: unit.Profile.Max(p => Dot(tfidf.Vectors[p], tfidf.Vectors[i])))).OrderByDescending(x => x.s).ThenBy(x => x.i)
                .FirstOrDefault((-1, 0));
            if (best.i >= 0) chosen.Add(best.i);
        }
        return chosen;
    }

    private static Unit? ToUnit(string name, List<int> ordered, int profileSize, List<CorpusPaper> papers, Dictionary<DateOnly, int> dayIndex)
    {
        var profile = ordered.Take(profileSize).ToList();
        var last = papers[profile[^1]].Day;
        var days = ordered.Skip(profileSize).Where(i => papers[i].Day > last).GroupBy(i => dayIndex[papers[i].Day])
            .OrderBy(g => g.Key).Take(MaxDaysPerUnit).Select(g => (g.Key, g.ToHashSet())).ToList();
        return days.Count == 0 ? null : new Unit(name, profile, days);
    }

    // ---- baselines ----

    private static List<string> Tokens(CorpusPaper p) => [.. TextVectorizer.Tokenize(p.Title), .. TextVectorizer.Tokenize(p.Abstract)];

    private static Dictionary<int, int> Unigrams(CorpusPaper p) => TextVectorizer.TermCounts(p.Title, p.Abstract);

    private static Dictionary<int, int> UniAndBigrams(CorpusPaper p)
    {
        var counts = new Dictionary<int, int>();
        foreach (var text in new[] { p.Title, p.Abstract })
        {
            string? previous = null;
            foreach (var term in TextVectorizer.Tokenize(text))
            {
                var id = TextVectorizer.TermId(term);
                counts[id] = counts.GetValueOrDefault(id) + 1;
                if (previous is not null)
                {
                    var pair = TextVectorizer.TermId(previous + " " + term);
                    counts[pair] = counts.GetValueOrDefault(pair) + 1;
                }
                previous = term;
            }
        }
        return counts;
    }

    /// <summary>Okapi BM25 (k1 1.2, b 0.75) of the profile's words against one day's papers, idf over that day.</summary>
    private static Func<int, double> Bm25(List<string> query, Dictionary<int, Dictionary<string, int>> documents)
    {
        var df = new Dictionary<string, int>();
        foreach (var doc in documents.Values)
            foreach (var term in doc.Keys) df[term] = df.GetValueOrDefault(term) + 1;
        var n = documents.Count;
        var lengths = documents.ToDictionary(d => d.Key, d => d.Value.Values.Sum());
        var average = lengths.Values.Average();
        var weights = query.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var scores = documents.ToDictionary(d => d.Key, d =>
        {
            var tf = d.Value;
            double score = 0;
            foreach (var (term, qtf) in weights)
            {
                if (!tf.TryGetValue(term, out var f)) continue;
                var idf = Math.Log(1 + (n - df[term] + 0.5) / (df[term] + 0.5));
                score += qtf * idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * lengths[d.Key] / average));
            }
            return score;
        });
        return i => scores[i];
    }

    private static double Dot(SparseVector a, SparseVector b)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            if (a.Terms[i] == b.Terms[j]) sum += a.Weights[i++] * b.Weights[j++];
            else if (a.Terms[i] < b.Terms[j]) i++;
            else j++;
        }
        return sum;
    }

    /// <summary>tf-idf over the whole corpus (sublinear tf, smooth idf, L2), vectors sorted by term for dot products.</summary>
    private sealed class GlobalTfIdf
    {
        public List<SparseVector> Vectors { get; }

        public GlobalTfIdf(List<Dictionary<int, int>> counts)
        {
            var df = new Dictionary<int, int>();
            foreach (var c in counts)
                foreach (var term in c.Keys) df[term] = df.GetValueOrDefault(term) + 1;
            var n = counts.Count;
            Vectors = counts.Select(c =>
            {
                var terms = c.Keys.Order().ToArray();
                var weights = terms.Select(t => (float)((1 + Math.Log(c[t])) * (Math.Log((1.0 + n) / (1 + df[t])) + 1))).ToArray();
                var norm = (float)Math.Sqrt(weights.Sum(w => (double)w * w));
                return new SparseVector(terms, weights.Select(w => w / norm).ToArray());
            }).ToList();
        }
    }

    /// <summary>
    /// L2-regularised hinge-loss linear SVM by dual coordinate descent (liblinear's solver, as scikit-learn's
    /// LinearSVC uses it), class_weight=balanced, an intercept as a constant feature.
    /// </summary>
    private static class LinearSvm
    {
        private const int Bias = -1;

        public static Dictionary<int, double> Train(List<(SparseVector X, int Y)> data, double c, int passes = 20)
        {
            var w = new Dictionary<int, double>();
            var positives = data.Count(d => d.Y > 0);
            var upper = data.Select(d => c * data.Count / (2.0 * (d.Y > 0 ? positives : data.Count - positives))).ToArray();
            var alpha = new double[data.Count];
            var order = Enumerable.Range(0, data.Count).ToArray();
            var random = new Random(1);
            for (var pass = 0; pass < passes; pass++)
            {
                random.Shuffle(order);
                foreach (var i in order)
                {
                    var (x, y) = data[i];
                    var g = y * Decision(w, x) - 1;
                    var qii = 1.0 + x.Weights.Sum(v => (double)v * v);
                    var next = Math.Min(Math.Max(alpha[i] - g / qii, 0), upper[i]);
                    var delta = (next - alpha[i]) * y;
                    if (delta == 0) continue;
                    alpha[i] = next;
                    for (var k = 0; k < x.Count; k++) w[x.Terms[k]] = w.GetValueOrDefault(x.Terms[k]) + delta * x.Weights[k];
                    w[Bias] = w.GetValueOrDefault(Bias) + delta;
                }
            }
            return w;
        }

        public static double Decision(Dictionary<int, double> w, SparseVector x)
        {
            var sum = w.GetValueOrDefault(Bias);
            for (var k = 0; k < x.Count; k++) sum += w.GetValueOrDefault(x.Terms[k]) * x.Weights[k];
            return sum;
        }
    }
}
