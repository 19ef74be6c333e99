namespace PaperFeed.Papers.Related;

/// <summary>A tf-idf vector, L2-normalised, with its terms sorted by weight (heaviest first).</summary>
public sealed record SparseVector(int[] Terms, float[] Weights)
{
    public static readonly SparseVector Empty = new([], []);
    public int Count => Terms.Length;
}

public readonly record struct Neighbor(long PaperId, double Score);

/// <summary>
/// Nearest papers by cosine similarity of tf-idf vectors, through an inverted index: a paper is compared only with
/// papers that share one of its rarer terms. Built in two streaming passes (<see cref="Count"/> every paper, then
/// <see cref="Add"/> every paper) and asked with <see cref="Neighbors"/>; it never holds a text or a full vector.
/// Memory: the document-frequency table is fixed (4 bytes × 2^22 term ids = 16 MB); each paper costs its id (8 bytes)
/// plus at most <see cref="SignatureTerms"/> postings of 8 bytes (int position + float weight): ~110 bytes, ~200 bytes
/// measured with list and dictionary overhead (37 MB for 100k synthetic papers, 16 MB of it the table), so ~200 MB at a million papers.
/// <see cref="MaxPostingsPerTerm"/> caps what a frequent term can hold.
/// </summary>
public sealed class RelatedIndex
{
    /// <summary>The heaviest terms of a paper that go into the index (its full vector is still used to ask).</summary>
    public const int SignatureTerms = 12;
    /// <summary>A term shared by more papers than this is followed only this far (papers added first win: the job adds newest first).</summary>
    public const int MaxPostingsPerTerm = 256;
    /// <summary>Terms in more than this share of papers say nothing about a paper.</summary>
    public const double MaxDocumentShare = 0.2;
    public const int NeighborCount = 5;
    /// <summary>Below this cosine two papers only share vocabulary, not a subject.</summary>
    public const double MinScore = 0.1;

    private readonly int[] _documentFrequency = new int[TextVectorizer.TermSpace];
    private readonly List<long> _paperIds = [];
    private readonly Dictionary<int, List<Posting>> _postings = [];

    private readonly record struct Posting(int Position, float Weight);

    /// <summary>Papers counted in the first pass.</summary>
    public int Documents { get; private set; }
    /// <summary>Papers added to the index in the second pass.</summary>
    public int Indexed => _paperIds.Count;

    /// <summary>The two passes over an in-memory list (tests, small catalogs).</summary>
    public static RelatedIndex Build(IReadOnlyCollection<(long Id, string? Title, string? Abstract)> papers)
    {
        var index = new RelatedIndex();
        foreach (var p in papers) index.Count(TextVectorizer.TermCounts(p.Title, p.Abstract).Keys);
        foreach (var p in papers) index.Add(p.Id, index.Vectorize(TextVectorizer.TermCounts(p.Title, p.Abstract)));
        return index;
    }

    /// <summary>First pass: one paper's distinct term ids.</summary>
    public void Count(IEnumerable<int> distinctTerms)
    {
        Documents++;
        foreach (var term in distinctTerms) _documentFrequency[term]++;
    }

    // The floor keeps a small catalog matching (there idf alone discounts common words).
    private bool Ignored(int df) => df == 0 || df > Math.Max(2, MaxDocumentShare * Documents);

    /// <summary>Term counts to a normalised tf-idf vector: sublinear tf, idf = ln(N / df), ignored terms dropped.</summary>
    public SparseVector Vectorize(IReadOnlyDictionary<int, int> counts)
    {
        var terms = new List<(int Term, float Weight)>(counts.Count);
        foreach (var (term, count) in counts)
        {
            var df = _documentFrequency[term];
            if (Ignored(df)) continue;
            var weight = (1 + Math.Log(count)) * Math.Log((double)Documents / df);
            if (weight > 0) terms.Add((term, (float)weight));
        }
        if (terms.Count == 0) return SparseVector.Empty;
        var norm = (float)Math.Sqrt(terms.Sum(t => (double)t.Weight * t.Weight));
        terms.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Term.CompareTo(b.Term));
        return new SparseVector(terms.Select(t => t.Term).ToArray(), terms.Select(t => t.Weight / norm).ToArray());
    }

    /// <summary>Second pass: indexes a paper under its heaviest terms that another paper also has.</summary>
    public void Add(long paperId, SparseVector vector)
    {
        var position = _paperIds.Count;
        _paperIds.Add(paperId);
        var added = 0;
        for (var i = 0; i < vector.Count && added < SignatureTerms; i++)
        {
            var term = vector.Terms[i];
            if (_documentFrequency[term] < 2) continue; // no other paper has it
            added++;
            if (!_postings.TryGetValue(term, out var list)) _postings[term] = list = new List<Posting>(4);
            if (list.Count < MaxPostingsPerTerm) list.Add(new Posting(position, vector.Weights[i]));
        }
    }

    /// <summary>
    /// The closest papers to a vector, best first, never the paper itself, each at most once. The score is the dot
    /// product of the full vector with the neighbour's indexed terms: the cosine, less the neighbour's lightest terms.
    /// </summary>
    public List<Neighbor> Neighbors(long paperId, SparseVector vector, int count = NeighborCount, double minScore = MinScore)
    {
        var scores = new Dictionary<int, double>();
        for (var i = 0; i < vector.Count; i++)
        {
            if (!_postings.TryGetValue(vector.Terms[i], out var list)) continue;
            var weight = vector.Weights[i];
            foreach (var posting in list)
                scores[posting.Position] = scores.GetValueOrDefault(posting.Position) + weight * posting.Weight;
        }
        return scores
            .Where(s => _paperIds[s.Key] != paperId && s.Value >= minScore)
            .Select(s => new Neighbor(_paperIds[s.Key], Math.Round(s.Value, 4)))
            .OrderByDescending(n => n.Score).ThenBy(n => n.PaperId)
            .DistinctBy(n => n.PaperId)
            .Take(count)
            .ToList();
    }
}
