using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Search;

public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>The search page ranks at most this many matches, the most recently added; older matches beyond them are not shown.</summary>
    [Range(10, 100_000)]
    public int Candidates { get; set; } = 500;

    /// <summary>Search by meaning too (embeddings, fused with the words' ranking). Off: search is lexical only.</summary>
    public bool Semantic { get; set; } = true;

    /// <summary>How many of each ranking (lexical, nearest by embedding) are fused; the search page shows at most this many pages' worth.</summary>
    [Range(10, 1000)]
    public int FusionDepth { get; set; } = 100;

    /// <summary>A paper found only by meaning needs at least this cosine with the query (MiniLM: unrelated texts score about 0–0.2).</summary>
    [Range(-1.0, 1.0)]
    public double SemanticMinScore { get; set; } = 0.3;

    /// <summary>
    /// PostgreSQL: a phrase or author filter is checked on at most this many papers holding all its words, newest first
    /// (each check reads a stored vector: ~6 µs idle); beyond it the page says since when papers were checked.
    /// </summary>
    [Range(10, 10_000_000)]
    public int PhraseCheckRows { get; set; } = DefaultPhraseCheckRows;

    public const int DefaultPhraseCheckRows = 50_000;
}

/// <summary>One ranked match: the paper id, its score (higher is better) and how many ranked matches there are in all, as the raw SQL below returns it.</summary>
public sealed class SearchRank
{
    public long Id { get; set; }
    public double Rank { get; set; }
    public long Total { get; set; }
}

/// <summary>
/// A page of search results, best first, and how many ranked results there are in all. <paramref name="CheckedSince"/>:
/// when a phrase or author filter had more candidates than are checked, only papers added since then were checked.
/// </summary>
public sealed record SearchResults(List<PaperCard> Papers, int Total, bool Capped, DateTime? CheckedSince = null)
{
    /// <summary>The query as the results answer it when its words found nothing and spelling corrected them (<see cref="Spelling"/>).</summary>
    public string? Corrected { get; init; }
}

/// <summary>
/// Full-text matching of papers (title, abstract, authors): the provider switch. Each provider's SQL lives in one file
/// beside it (<see cref="SqliteSearch"/>, <see cref="PostgresSearch"/>; the Search migrations create the FTS5 table and
/// the tsvector column they query), because the two share no statement: keeping them apart reads better than one file
/// of interleaved dialects, and keeping them here keeps search's SQL next to the code that ranks with it.
/// User text reaches SQL only as named parameter values, and only after <see cref="SearchQuery"/> has reduced it to
/// words: the query syntax around the values is built in code.
/// </summary>
public static class PaperSearch
{
    public static void AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<HybridSearch>();
        builder.Services.AddSingleton<Spelling>();
    }

    /// <summary>Papers matching the user's text (every list's q=); no filter when the text has no words.</summary>
    public static IQueryable<Paper> Matching(this IQueryable<Paper> papers, CatalogDbContext db, string query)
    {
        if (SearchQuery.Parse(query) is not { } parsed) return papers;
        var ids = db.Database.IsNpgsql() ? PostgresSearch.Matches(db, parsed) : SqliteSearch.Matches(db, parsed);
        return papers.Where(p => ids.Contains(p.Id));
    }

    /// <summary>The search page: visible matches ranked (title matches above abstract matches), one page of them.</summary>
    public static async Task<SearchResults> SearchAsync(CatalogDbContext db, SearchQuery query, int page, int pageSize, int candidates,
        CancellationToken ct, int phraseCheckRows = SearchOptions.DefaultPhraseCheckRows)
    {
        var postgres = db.Database.IsNpgsql();
        // PostgreSQL's JIT compiles a plan whose estimated cost is high (a full match of a rare phrase can be), which
        // adds ~100 ms to a query that runs in a few: a search never gains from it.
        await using var transaction = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
        // Parallel workers are no gain either on a small server with concurrent searches (and the estimates below read
        // the plain plan's row counts).
        if (postgres) await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0", ct);

        // The candidates are found first (PostgreSQL: bounded steps), then ranked once; the window count gives the
        // total beside the page.
        DateTime? checkedSince = null;
        // Built per execution: a raw query's DbParameter objects belong to one command at a time.
        Func<IQueryable<SearchRank>> ranks;
        if (postgres)
        {
            (var ids, checkedSince) = await PostgresSearch.CandidatesAsync(db, query, candidates, phraseCheckRows, ct);
            ranks = () => PostgresSearch.Ranked(db, query, ids);
        }
        else ranks = () => SqliteSearch.Ranked(db, query, candidates);
        var rows = await ranks().OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        // Past the last page there is no row to carry the total.
        var total = rows.Count > 0 ? (int)rows[0].Total : page > 1 ? await ranks().CountAsync(ct) : 0;
        var pageIds = rows.Select(r => r.Id).ToList();
        var cards = await db.Papers.AsNoTracking().Where(p => pageIds.Contains(p.Id)).ToCards().ToListAsync(ct);
        var papers = pageIds.Select(id => cards.Single(c => c.Id == id)).ToList();
        return new SearchResults(papers, total, total >= candidates, checkedSince);
    }
}
