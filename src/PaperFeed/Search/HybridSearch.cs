using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Embeddings;
using PaperFeed.Papers;

namespace PaperFeed.Search;

/// <summary>Which rankings a search fuses (the search page uses <see cref="Hybrid"/>; the relevance benchmark compares all three).</summary>
public enum SearchMode { Hybrid, Lexical, Semantic }

/// <summary>
/// The search page's ranking: navigational answers first (the paper an arXiv id or abs/pdf URL names, a paper whose
/// title is exactly the query), then the lexical ranking (<see cref="PaperSearch"/>) fused with the papers nearest to
/// the query's embedding by Reciprocal Rank Fusion (score Σ 1/(60 + rank)). Phrases and author: filters are
/// constraints, so such queries stay lexical; so does everything when Search:Semantic is off. A paper without a
/// vector is still found lexically.
/// </summary>
public sealed class HybridSearch(CatalogDbContext db, TextEmbedder embedder, EmbeddingIndex index, IOptions<SearchOptions> options,
    IOptions<EmbeddingsOptions> embeddings, Spelling spelling)
{
    /// <summary>RRF's constant: damps the weight of the first ranks (60, as in Cormack et al. 2009).</summary>
    private const int RrfK = 60;

    /// <summary>Search by meaning is on (Search:Semantic and Embeddings:Enabled).</summary>
    public bool Enabled => options.Value.Semantic && embeddings.Value.Enabled;

    /// <summary>
    /// Whether this query is answered by meaning as well as by words: not when it quotes a phrase or filters by author
    /// (constraints the vectors cannot check). Words joined by hyphens (vision-language) are phrases to the lexical
    /// side but no constraint the reader asked for.
    /// </summary>
    public bool Semantic(string text, SearchQuery query, SearchMode mode = SearchMode.Hybrid) =>
        mode != SearchMode.Lexical && Enabled && !text.Contains('"', StringComparison.Ordinal) && query.Authors.Count == 0
        && query.Terms.Count + query.Phrases.Count > 0;

    public async Task<SearchResults> SearchAsync(string text, SearchQuery query, int page, int pageSize, CancellationToken ct,
        SearchMode mode = SearchMode.Hybrid)
    {
        var depth = options.Value.FusionDepth;
        var semantic = Semantic(text, query, mode);
        var lexical = mode == SearchMode.Semantic && semantic
            ? new SearchResults([], 0, false)
            : await PaperSearch.SearchAsync(db, query, 1, depth, options.Value.Candidates, ct, options.Value.PhraseCheckRows);
        // Words that found nothing may hold a typo: the words corrected to the titles' words are searched instead, and said so.
        string? corrected = null;
        if (lexical.Total == 0 && mode != SearchMode.Semantic && await spelling.CorrectAsync(query, ct) is { } fixedText
            && SearchQuery.Parse(fixedText) is { } fixedQuery
            && await PaperSearch.SearchAsync(db, fixedQuery, 1, depth, options.Value.Candidates, ct, options.Value.PhraseCheckRows) is { Total: > 0 } retried)
            (lexical, corrected) = (retried, fixedText);
        var nearest = semantic
            ? await index.NearestAsync(db, () => embedder.EmbedQuery(text), depth, (float)options.Value.SemanticMinScore, ct)
            : [];

        var scores = new Dictionary<long, double>();
        void Fuse(IEnumerable<long> ranked)
        {
            var rank = 0;
            foreach (var id in ranked) scores[id] = scores.GetValueOrDefault(id) + 1.0 / (RrfK + ++rank);
        }
        Fuse(lexical.Papers.Select(p => p.Id));
        Fuse(nearest.Select(n => n.PaperId));
        var fused = scores.OrderByDescending(s => s.Value).ThenByDescending(s => s.Key).Select(s => s.Key).ToList();
        var first = await NavigationalAsync(text, ct) ?? (corrected is null ? null : await NavigationalAsync(corrected, ct));
        if (first is { } pinned) fused = [pinned, .. fused.Where(id => id != pinned)];

        var pageIds = fused.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var cards = lexical.Papers.Where(c => pageIds.Contains(c.Id)).ToDictionary(c => c.Id);
        var missing = pageIds.Where(id => !cards.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            foreach (var card in await db.Papers.AsNoTracking().Where(p => missing.Contains(p.Id) && !p.Hidden).ToCards().ToListAsync(ct))
                cards[card.Id] = card;
        var papers = pageIds.Where(cards.ContainsKey).Select(id => cards[id]).ToList();
        // The lexical total counts every match; the fused list adds the semantic ones that are not among them.
        var total = Math.Max(fused.Count, lexical.Total + fused.Count - lexical.Papers.Count);
        return new SearchResults(papers, total, lexical.Capped, lexical.CheckedSince) { Corrected = corrected };
    }

    /// <summary>
    /// The paper the text names: a DOI (bare, "doi:…" or a doi.org URL; stored lower-cased, as ingest normalizes it),
    /// an arXiv id, abs/pdf URL or "arXiv:…" id, or an exact title (as titles are matched at ingest).
    /// </summary>
    private async Task<long?> NavigationalAsync(string text, CancellationToken ct)
    {
        var visible = db.Papers.AsNoTracking().Where(p => !p.Hidden);
        // An arXiv DOI (10.48550/arXiv.…) is not stored as a paper's DOI: it falls through to the arXiv id below.
        if (Sources.Feeds.XmlSource.NormalizeDoi(text) is { } doi
            && await visible.Where(p => p.Doi == doi).OrderBy(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct) is { } byDoi)
            return byDoi;
        if (ArxivId.TryFind(text.Trim(), out var arxivId, out _))
            return await visible.Where(p => p.ArxivId == arxivId).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
        var key = TextNormalizer.TitleKey(text);
        if (key.Length < 12 || key.Length > 1000) return null;
        return await visible.Where(p => p.NormalizedTitle == key).OrderBy(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
    }
}
