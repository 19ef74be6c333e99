using System.Text.RegularExpressions;
using PaperFeed.Papers.Related;

namespace PaperFeed.ForYou;

/// <summary>What a signal is; the followed kinds only ever appear in a <see cref="RankReason"/> (<see cref="Follows"/>).</summary>
public enum SignalKind { Upvoted, Saved, NotForMe, FollowedAuthor, FollowedTopic, Seed, LessLike }

public static class SignalKinds
{
    /// <summary>A liked paper: a positive example, and a reason a card can name.</summary>
    public static bool IsLiked(this SignalKind kind) => kind is SignalKind.Upvoted or SignalKind.Saved or SignalKind.Seed;
}

/// <summary>What the model reads of a paper: the related-papers text (title twice, abstract) plus its arXiv categories.</summary>
public sealed record PaperText(long Id, string Key, string Title, string? Abstract, List<string> Categories);

/// <summary>A paper the reader gave a signal about.</summary>
public sealed record ProfilePaper(PaperText Paper, SignalKind Kind);

/// <summary>Why a card is where it is: the liked paper it is nearest to, or the followed author or topic (then Title is its name).</summary>
public sealed record RankReason(SignalKind Kind, string Title, string Url, double Similarity)
{
    /// <summary>The words of the paper that weighed most in the reader's linear model (<see cref="ReaderModel.Words"/>), as written in it.</summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    public string Verb => Kind == SignalKind.Saved ? "saved" : "upvoted";
    /// <summary>The words before the linked title: "Because you upvoted", "You follow".</summary>
    public string Lead => Kind switch
    {
        SignalKind.FollowedAuthor or SignalKind.FollowedTopic => "You follow",
        SignalKind.Seed => "Near your seed paper",
        _ => "Because you " + Verb,
    };
}

/// <summary>The model's weights, measured by bench/recommend.sh (docs/performance.md, "Recommendation").</summary>
/// <param name="BestWeight">Share of the best cosine to a liked paper; the rest is the mean of the <see cref="ReaderModel.TopK"/> best.</param>
/// <param name="CategoryWeight">Count of each arXiv category as a term of the paper.</param>
/// <param name="NotForMeWeight">How much the best cosine to a "not for me" paper takes away when there is no linear model (a reader with no liked paper).</param>
/// <param name="Bigrams">Adjacent word pairs as terms too (title and abstract).</param>
/// <param name="LinearWeight">Weight of a per-reader logistic regression (liked papers against "not for me" and the candidates) added to the score; 0: none.</param>
/// <param name="LessLikeWeight">How much the cosine to a "less like this" paper's top words takes away.</param>
/// <param name="LinearNotForMeWeight">The same as <paramref name="NotForMeWeight"/> when the linear model is on (it reads the negatives itself): 0, measured.</param>
/// <param name="LessLikeTerms">How many of a "less like this" paper's heaviest words (tf-idf, categories left out) make its subject.</param>
public sealed record ReaderSettings(double BestWeight = 0.5, int CategoryWeight = 3, double NotForMeWeight = 0.5, bool Bigrams = false, double LinearWeight = 1.0,
    double LessLikeWeight = 0.25, int LessLikeTerms = 5, double LinearNotForMeWeight = 0)
{
    public static readonly ReaderSettings Default = new();
}

/// <summary>A candidate's score for the reader, and the nearest liked paper when it is near enough to name.</summary>
public readonly record struct ReaderScore(double Score, RankReason? Reason);

/// <summary>
/// One reader's ranking, trained from their signals on the spot (no state to keep fresh: a new vote counts on the
/// next page view). Nearest liked papers, not a centroid, so several interests stay apart: a candidate scores
/// <c>b·(best cosine to a liked paper) + (1 − b)·(mean of its <see cref="TopK"/> best)</c>, less
/// a weight × its best cosine to a "not for me" paper (only without a linear model) and to a "less like this" paper's top words (<see cref="ReaderSettings"/>). The cosine is tf-idf (the related papers'
/// <see cref="TextVectorizer"/> terms, plus categories) with document frequencies over the profile and the candidates
/// of this one list; a second feature (paper embeddings) would add its cosine in <see cref="Similarities"/>. A per-reader
/// logistic regression over the same vectors adds <see cref="ReaderSettings.LinearWeight"/> × its probability (measured:
/// docs/performance.md, "Run of 2026-12-07").
/// </summary>
public sealed partial class ReaderModel
{
    public const int TopK = 3;
    /// <summary>Below this cosine the nearest liked paper shares words, not a subject: no reason is shown.</summary>
    public const double MinReasonSimilarity = 0.05;
    /// <summary>Terms in more than this share of the documents say nothing (as in <see cref="RelatedIndex"/>).</summary>
    public const double MaxDocumentShare = 1.0;
    /// <summary>How many words a reason line names.</summary>
    public const int ReasonWords = 3;

    private readonly List<ProfilePaper> _profile;
    private readonly Dictionary<long, SparseVector> _vectors;
    // Inverted index of the profile's vectors: term → (profile position, weight).
    private readonly Dictionary<int, List<(int Position, float Weight)>> _postings = [];
    private readonly ReaderSettings _settings;

    public bool HasLiked { get; }

    private ReaderModel(List<ProfilePaper> profile, Dictionary<long, SparseVector> vectors, ReaderSettings settings)
    {
        _profile = profile;
        _vectors = vectors;
        _settings = settings;
        HasLiked = profile.Any(p => p.Kind.IsLiked());
        for (var i = 0; i < profile.Count; i++)
        {
            var v = vectors[profile[i].Paper.Id];
            for (var t = 0; t < v.Count; t++)
            {
                if (!_postings.TryGetValue(v.Terms[t], out var list)) _postings[v.Terms[t]] = list = [];
                list.Add((i, v.Weights[t]));
            }
        }
    }

    /// <summary>Builds the vectors of the profile and the candidates over their own document frequencies.</summary>
    /// <param name="known">Term counts already made (<see cref="TermCounts"/> with the same category weight), e.g. a digest period's papers read once for every subscriber.</param>
    public static ReaderModel Train(IReadOnlyList<ProfilePaper> profile, IReadOnlyCollection<PaperText> candidates, ReaderSettings? settings = null,
        IReadOnlyDictionary<long, Dictionary<int, int>>? known = null)
    {
        settings ??= ReaderSettings.Default;
        var counts = new Dictionary<long, Dictionary<int, int>>();
        foreach (var paper in profile.Select(p => p.Paper).Concat(candidates))
            if (!counts.ContainsKey(paper.Id))
                counts[paper.Id] = known is not null && known.TryGetValue(paper.Id, out var c) ? c : TermCounts(paper, settings);
        var df = new Dictionary<int, int>();
        foreach (var c in counts.Values)
            foreach (var term in c.Keys) df[term] = df.GetValueOrDefault(term) + 1;
        var documents = counts.Count;
        var vectors = counts.ToDictionary(c => c.Key, c => Vectorize(c.Value, df, documents));
        // One paper can carry two signals (upvoted and saved): it counts once, as the stronger. "Less like this" stands apart:
        // it is about the paper's subject (its heaviest words), not the paper.
        var distinct = profile.Where(p => p.Kind != SignalKind.LessLike).GroupBy(p => p.Paper.Id).Select(g => g.OrderBy(p => p.Kind).First()).ToList();
        var lessLike = profile.Where(p => p.Kind == SignalKind.LessLike).Select(p => p.Paper).DistinctBy(p => p.Id).ToList();
        var model = new ReaderModel(distinct, vectors, settings)
        {
            _lessLike = [.. lessLike.Select(p => TopWords(vectors[p.Id], p, settings.LessLikeTerms))],
        };
        if (settings.LinearWeight > 0 && model.HasLiked)
        {
            model._linear = Logistic(distinct, lessLike, candidates, vectors);
            model._liked = distinct.Where(p => p.Kind.IsLiked()).Select(p => p.Paper.Id).ToHashSet();
        }
        return model;
    }

    public static Dictionary<int, int> TermCounts(PaperText paper, ReaderSettings settings)
    {
        var counts = TermCounts(paper, settings.CategoryWeight);
        if (!settings.Bigrams) return counts;
        foreach (var text in new[] { paper.Title, paper.Title, paper.Abstract })
        {
            string? previous = null;
            foreach (var term in TextVectorizer.Tokenize(text))
            {
                if (previous is not null)
                {
                    var id = TextVectorizer.TermId(previous + " " + term);
                    counts[id] = counts.GetValueOrDefault(id) + 1;
                }
                previous = term;
            }
        }
        return counts;
    }

    private Dictionary<int, double>? _linear;
    private HashSet<long> _liked = [];
    private List<Dictionary<int, float>> _lessLike = [];

    /// <summary>A "less like this" paper's subject: its <paramref name="count"/> heaviest terms that are words (not categories), renormalised.</summary>
    private static Dictionary<int, float> TopWords(SparseVector v, PaperText paper, int count)
    {
        var categories = paper.Categories.Select(c => TextVectorizer.TermId("category:" + c)).ToHashSet();
        var top = Enumerable.Range(0, v.Count).Where(t => !categories.Contains(v.Terms[t])).OrderByDescending(t => v.Weights[t]).Take(count).ToList();
        var norm = (float)Math.Sqrt(top.Sum(t => (double)v.Weights[t] * v.Weights[t]));
        return norm == 0 ? [] : top.ToDictionary(t => v.Terms[t], t => v.Weights[t] / norm);
    }

    /// <summary>The best cosine of a paper to a "less like this" paper's top words (the less-liked paper itself included: it drops too).</summary>
    private double LessLike(long paperId)
    {
        if (_lessLike.Count == 0 || !_vectors.TryGetValue(paperId, out var v)) return 0;
        double best = 0;
        foreach (var subject in _lessLike)
        {
            double dot = 0;
            for (var t = 0; t < v.Count; t++)
                if (subject.TryGetValue(v.Terms[t], out var w)) dot += w * v.Weights[t];
            best = Math.Max(best, dot);
        }
        return best;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    /// <summary>
    /// The words of <paramref name="paper"/> that weighed most for it in the reader's linear model: the largest positive
    /// weight × tf-idf products among terms that a liked paper holds too, as first written in the paper ("halos", not the
    /// folded "halo"); categories are not words. Empty without a linear model.
    /// </summary>
    public IReadOnlyList<string> Words(PaperText paper, int count = ReasonWords)
    {
        if (_linear is null || !_vectors.TryGetValue(paper.Id, out var x)) return [];
        var top = Enumerable.Range(0, x.Count)
            .Select(t => (Term: x.Terms[t], Weight: _linear.GetValueOrDefault(x.Terms[t]) * x.Weights[t]))
            .Where(t => t.Weight > 0 && _postings.TryGetValue(t.Term, out var list) && list.Any(p => _profile[p.Position].Kind.IsLiked()))
            .OrderByDescending(t => t.Weight).Select(t => t.Term).ToList();
        if (top.Count == 0) return [];
        var written = new Dictionary<int, string>();
        foreach (var text in new[] { paper.Title, paper.Abstract ?? "" })
            foreach (Match m in WordPattern().Matches(text))
            {
                var word = m.Value.ToLowerInvariant();
                if (word.Length >= 2 && !TextVectorizer.IsStopWord(TextVectorizer.Stem(word))) written.TryAdd(TextVectorizer.TermId(TextVectorizer.Stem(word)), word);
            }
        return [.. top.Where(written.ContainsKey).Take(count).Select(t => written[t])];
    }

    /// <summary>
    /// Logistic regression by SGD over the tf-idf vectors: liked papers (y = 1) against "not for me" papers and the candidates
    /// (y = 0; a liked paper among the candidates stays positive), classes balanced, L2-regularised; ~ms for a few thousand papers.
    /// </summary>
    private static Dictionary<int, double> Logistic(List<ProfilePaper> profile, List<PaperText> lessLike, IReadOnlyCollection<PaperText> candidates,
        Dictionary<long, SparseVector> vectors)
    {
        var liked = profile.Where(p => p.Kind.IsLiked()).Select(p => p.Paper.Id).ToHashSet();
        var data = liked.Select(id => (id, 1.0)).Concat(profile.Where(p => p.Kind == SignalKind.NotForMe).Select(p => (p.Paper.Id, 0.0)))
            .Concat(lessLike.Where(p => !liked.Contains(p.Id)).Select(p => (p.Id, 0.0)))
            .Concat(candidates.Where(c => !liked.Contains(c.Id)).Select(c => (c.Id, 0.0))).DistinctBy(x => x.Item1).ToArray();
        var positives = data.Count(d => d.Item2 > 0);
        var negatives = data.Length - positives;
        if (positives == 0 || negatives == 0) return [];
        double positiveWeight = data.Length / (2.0 * positives), negativeWeight = data.Length / (2.0 * negatives);
        var w = new Dictionary<int, double>();
        double bias = 0;
        const double rate = 0.5, l2 = 1e-4;
        var random = new Random(14);
        for (var epoch = 0; epoch < 10; epoch++)
        {
            random.Shuffle(data);
            foreach (var (id, y) in data)
            {
                var x = vectors[id];
                var margin = bias;
                for (var t = 0; t < x.Count; t++) margin += w.GetValueOrDefault(x.Terms[t]) * x.Weights[t];
                var g = (1 / (1 + Math.Exp(-margin)) - y) * (y > 0 ? positiveWeight : negativeWeight);
                for (var t = 0; t < x.Count; t++)
                {
                    var old = w.GetValueOrDefault(x.Terms[t]);
                    w[x.Terms[t]] = old - rate * (g * x.Weights[t] + l2 * old);
                }
                bias -= rate * g;
            }
        }
        w[-1] = bias;
        return w;
    }

    /// <summary>The linear model's probability that the reader likes the paper; 0 for a liked paper itself (it was trained on it, as its cosine to itself is left out).</summary>
    private double Linear(long paperId)
    {
        if (_linear is null || _liked.Contains(paperId) || !_vectors.TryGetValue(paperId, out var x)) return 0;
        var margin = _linear.GetValueOrDefault(-1);
        for (var t = 0; t < x.Count; t++) margin += _linear.GetValueOrDefault(x.Terms[t]) * x.Weights[t];
        return 1 / (1 + Math.Exp(-margin));
    }

    public static Dictionary<int, int> TermCounts(PaperText paper, int categoryWeight)
    {
        var counts = TextVectorizer.TermCounts(paper.Title, paper.Abstract);
        foreach (var category in paper.Categories)
        {
            var id = TextVectorizer.TermId("category:" + category);
            counts[id] = counts.GetValueOrDefault(id) + categoryWeight;
        }
        return counts;
    }

    /// <summary>The related papers' weighting: sublinear tf × ln(N / df), normalised; too common terms dropped.</summary>
    private static SparseVector Vectorize(Dictionary<int, int> counts, Dictionary<int, int> df, int documents)
    {
        var cut = Math.Max(2, MaxDocumentShare * documents);
        var terms = new List<(int Term, float Weight)>(counts.Count);
        foreach (var (term, count) in counts)
        {
            var d = df[term];
            if (d > cut) continue;
            var weight = (1 + Math.Log(count)) * Math.Log((double)documents / d);
            if (weight > 0) terms.Add((term, (float)weight));
        }
        if (terms.Count == 0) return SparseVector.Empty;
        var norm = (float)Math.Sqrt(terms.Sum(t => (double)t.Weight * t.Weight));
        return new SparseVector(terms.Select(t => t.Term).ToArray(), terms.Select(t => t.Weight / norm).ToArray());
    }

    /// <summary>The similarity of a paper to each profile paper (the paper itself excluded: 0).</summary>
    private double[] Similarities(long paperId)
    {
        var sims = new double[_profile.Count];
        if (!_vectors.TryGetValue(paperId, out var v)) return sims;
        for (var t = 0; t < v.Count; t++)
        {
            if (!_postings.TryGetValue(v.Terms[t], out var list)) continue;
            var w = v.Weights[t];
            foreach (var (position, weight) in list) sims[position] += w * weight;
        }
        // (Embeddings, when they come: sims[i] = a·text + b·embedding cosine, weights measured by bench/recommend.sh.)
        for (var i = 0; i < sims.Length; i++)
            if (_profile[i].Paper.Id == paperId) sims[i] = 0;
        return sims;
    }

    public ReaderScore Score(long paperId)
    {
        var sims = Similarities(paperId);
        var best = new List<double>(TopK + 1);
        int nearest = -1;
        double worst = 0;
        for (var i = 0; i < sims.Length; i++)
        {
            if (_profile[i].Kind == SignalKind.NotForMe) { worst = Math.Max(worst, sims[i]); continue; }
            if (nearest < 0 || sims[i] > sims[nearest]) nearest = i;
            best.Add(sims[i]);
            if (best.Count > TopK) { best.Sort(); best.RemoveAt(0); }
        }
        var positive = best.Count == 0 ? 0 : _settings.BestWeight * best.Max() + (1 - _settings.BestWeight) * best.Average();
        RankReason? reason = null;
        if (nearest >= 0 && sims[nearest] >= MinReasonSimilarity)
        {
            var p = _profile[nearest];
            reason = new RankReason(p.Kind, p.Paper.Title, PaperFeed.Papers.PaperLinks.PagePath(p.Paper.Key, p.Paper.Title), Math.Round(sims[nearest], 3));
        }
        // With a linear model the negatives are its training examples; the cosine penalty on top cost recall (performance.md, 8 December).
        var notForMeWeight = _linear is null ? _settings.NotForMeWeight : _settings.LinearNotForMeWeight;
        return new ReaderScore(positive - notForMeWeight * worst - _settings.LessLikeWeight * LessLike(paperId) + _settings.LinearWeight * Linear(paperId), reason);
    }

    /// <summary>The candidates best first, each with its score; equal scores keep the order they came in (the site's).</summary>
    public List<(PaperText Paper, ReaderScore Score)> Rank(IEnumerable<PaperText> candidates) =>
        candidates.Select(c => (c, Score(c.Id))).OrderByDescending(x => x.Item2.Score).ToList();
}
