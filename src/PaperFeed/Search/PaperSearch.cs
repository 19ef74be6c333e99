using System.ComponentModel.DataAnnotations;
using System.Text;
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
}

/// <summary>One ranked match: the paper id, its score (higher is better) and how many ranked matches there are in all, as the raw SQL below returns it.</summary>
public sealed class SearchRank
{
    public long Id { get; set; }
    public double Rank { get; set; }
    public long Total { get; set; }
}

/// <summary>A page of search results, best first, and how many ranked results there are in all.</summary>
public sealed record SearchResults(List<PaperCard> Papers, int Total, bool Capped);

/// <summary>
/// Full-text matching of papers (title, abstract, authors). The provider-specific SQL lives here only (and in the
/// Search migrations, which create the PostgreSQL tsvector column and the SQLite FTS5 table it queries).
/// User text reaches SQL only as parameter values, and only after <see cref="SearchQuery"/> has reduced it to
/// words: the query syntax around the values is built here.
/// </summary>
public static class PaperSearch
{
    public static void AddSearch(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Papers matching the user's text (every list's q=); no filter when the text has no words.</summary>
    public static IQueryable<Paper> Matching(this IQueryable<Paper> papers, CatalogDbContext db, string query)
    {
        if (SearchQuery.Parse(query) is not { } parsed) return papers;
        var ids = db.Database.IsNpgsql() ? PostgresMatches(db, parsed) : SqliteMatches(db, parsed);
        return papers.Where(p => ids.Contains(p.Id));
    }

    /// <summary>The search page: visible matches ranked (title matches above abstract matches), one page of them.</summary>
    public static async Task<SearchResults> SearchAsync(CatalogDbContext db, SearchQuery query, int page, int pageSize, int candidates,
        CancellationToken ct)
    {
        var postgres = db.Database.IsNpgsql();
        // PostgreSQL's JIT compiles a plan whose estimated cost is high (a full match of a rare phrase can be), which
        // adds ~100 ms to a query that runs in a few: a search never gains from it.
        await using var transaction = postgres ? await db.Database.BeginTransactionAsync(ct) : null;
        if (postgres) await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", ct);

        // One query: the candidates are matched and ranked once, and the window count gives the total beside the page.
        var ranks = postgres ? PostgresRanked(db, query, candidates) : SqliteRanked(db, query, candidates);
        var rows = await ranks.OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        // Past the last page there is no row to carry the total.
        var total = rows.Count > 0 ? (int)rows[0].Total : page > 1 ? await ranks.CountAsync(ct) : 0;
        var ids = rows.Select(r => r.Id).ToList();
        var cards = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToCards().ToListAsync(ct);
        var papers = ids.Select(id => cards.Single(c => c.Id == id)).ToList();
        return new SearchResults(papers, total, total >= candidates);
    }

    // ---------- SQLite: FTS5 (external-content table "PaperSearch" over Papers, kept in sync by triggers) ----------

    /// <summary>
    /// The FTS5 MATCH expression: every part a double-quoted string (quotes doubled), so FTS5 reads it as a phrase of
    /// plain tokens whatever it holds — no AND/OR/NOT/NEAR, prefix * or column filter can come from the user.
    /// </summary>
    public static string ToFts5Match(SearchQuery query)
    {
        static string Quote(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var parts = query.Terms.Select(Quote).Concat(query.Phrases.Select(Quote)).Concat(query.Authors.Select(a => "authors : " + Quote(a)));
        return string.Join(" AND ", parts);
    }

    private static IQueryable<long> SqliteMatches(CatalogDbContext db, SearchQuery query) =>
        db.Database.SqlQueryRaw<long>("""SELECT rowid AS "Value" FROM "PaperSearch" WHERE "PaperSearch" MATCH {0}""", ToFts5Match(query));

    // bm25 weights per column (title, authors, abstract). The same bound as on PostgreSQL: the newest N matches
    // (FTS5 walks its rowids backwards and stops), then only those are ranked, so a common word costs what N matches cost.
    private static IQueryable<SearchRank> SqliteRanked(CatalogDbContext db, SearchQuery query, int candidates) =>
        db.Database.SqlQueryRaw<SearchRank>("""
            SELECT c."Id", c."Rank", count(*) OVER () AS "Total" FROM (
                SELECT s.rowid AS "Id", -bm25("PaperSearch", 10.0, 5.0, 1.0) AS "Rank"
                FROM "PaperSearch" AS s JOIN "Papers" AS p ON p."Id" = s.rowid
                WHERE "PaperSearch" MATCH {0} AND NOT p."Hidden"
                ORDER BY s.rowid DESC LIMIT {1}) AS c
            """, ToFts5Match(query), candidates);

    // ---------- PostgreSQL: the weighted tsvector column search_vector (A title, B authors, C abstract), GIN-indexed ----------

    /// <summary>
    /// A tsquery expression over parameters {first}…: each term matches stemmed (english) or exactly (simple, for
    /// author names); a term that is only a stop word drops out; phrases must be adjacent; authors exact.
    /// </summary>
    private static (string Sql, List<object> Values) PostgresQuery(SearchQuery query, bool withAuthors, int first = 0)
    {
        var parts = new List<string>();
        var values = new List<object>();
        string Next(string value) { values.Add(value); return Placeholder(first + values.Count - 1); }
        foreach (var term in query.Terms)
        {
            var p = Next(term);
            parts.Add($"(CASE WHEN numnode(plainto_tsquery('english', {p})) = 0 THEN plainto_tsquery('simple', '') " +
                      $"ELSE plainto_tsquery('english', {p}) || plainto_tsquery('simple', {p}) END)");
        }
        foreach (var phrase in query.Phrases) parts.Add($"phraseto_tsquery('english', {Next(phrase)})");
        if (withAuthors)
            foreach (var author in query.Authors) parts.Add($"phraseto_tsquery('simple', {Next(author)})");
        return (parts.Count == 0 ? "plainto_tsquery('simple', '')" : string.Join(" && ", parts), values);
    }

    /// <summary>The WHERE of a match: the whole query on the indexed vector, then author filters on the authors' part (weight B).</summary>
    private static (string Sql, List<object> Values) PostgresWhere(SearchQuery query, string vector, int first = 0)
    {
        var (all, values) = PostgresQuery(query, withAuthors: true, first);
        var sql = new StringBuilder($"{vector} @@ ({all})");
        foreach (var author in query.Authors)
        {
            values.Add(author);
            sql.Append($" AND ts_filter({vector}, ARRAY['b']::\"char\"[]) @@ phraseto_tsquery('simple', {Placeholder(first + values.Count - 1)})");
        }
        return (sql.ToString(), values);
    }

    private static IQueryable<long> PostgresMatches(CatalogDbContext db, SearchQuery query)
    {
        var (where, values) = PostgresWhere(query, "search_vector");
        // The SQL text is ours alone (fixed fragments and {n} placeholders); user words are only in values.
        var sql = $"""SELECT "Id" AS "Value" FROM "Papers" WHERE {where}""";
        return db.Database.SqlQueryRaw<long>(sql, values.ToArray());
    }

    // Bounded candidates: a common word matches much of the catalog, and ranking reads (detoasts) every matching
    // vector, so at most N matches are ranked, the most recently added. Walking the primary key backwards finds them
    // cheaply when matches are dense, and the GIN index when they are few; the planner picks by its estimate, which a
    // phrase of common but seldom adjacent words fools (it walked all 1M rows: 13 s). So the query decides by what it
    // finds, each step bounded, a step running only when the one before found fewer than N:
    //  1. the newest 5·N rows, walked backwards (enough for a word in a fifth of the papers);
    //  2. the newest 50·N rows, walked backwards (a word in one paper in 50);
    //  3. every match through the GIN index, the newest N of them ("Id" + 0 keeps the planner off the unbounded walk);
    //     by then the word is in fewer than 2 % of recent papers, so matches are few.
    // Title matches first: a flag for "the title alone matches" plus ts_rank_cd normalised to [0, 1).
    private static readonly int[] WindowFactors = [5, 50];

    private static IQueryable<SearchRank> PostgresRanked(CatalogDbContext db, SearchQuery query, int candidates)
    {
        var values = new List<object>();
        string Add(object value) { values.Add(value); return Placeholder(values.Count - 1); }
        string Where()
        {
            var (where, whereValues) = PostgresWhere(query, "search_vector", values.Count);
            values.AddRange(whereValues);
            return where;
        }
        var limit = Add(candidates);
        var windows = WindowFactors.Select((factor, i) => $"""
                w{i} AS MATERIALIZED (
                    SELECT "Id", search_vector
                    FROM (SELECT "Id", "Hidden", search_vector FROM "Papers" ORDER BY "Id" DESC LIMIT {Add(candidates * factor)}) AS w
                    WHERE NOT "Hidden" AND {Where()}
                    ORDER BY "Id" DESC LIMIT {limit}),
            """).ToList();
        // Step i runs when every earlier window fell short and its own is full; the last step when all fell short.
        string Short(int upTo) => string.Concat(Enumerable.Range(0, upTo).Select(i => $" AND (SELECT count(*) FROM w{i}) < {limit}"));
        var steps = WindowFactors.Select((_, i) =>
            $"SELECT \"Id\", search_vector FROM w{i} WHERE (SELECT count(*) FROM w{i}) >= {limit}{Short(i)}").ToList();
        steps.Add($"""
            SELECT "Id", search_vector
                FROM (SELECT "Id", search_vector FROM "Papers" WHERE NOT "Hidden" AND {Where()}
                      ORDER BY "Id" + 0 DESC LIMIT {limit}) AS a
                WHERE TRUE{Short(WindowFactors.Length)}
            """);
        var (text, textValues) = PostgresQuery(query, withAuthors: false, first: values.Count);
        values.AddRange(textValues);
        var (all, rankValues) = PostgresQuery(query, withAuthors: true, first: values.Count);
        values.AddRange(rankValues);
        var titleFlag = query.Terms.Count + query.Phrases.Count == 0
            ? "0"
            : $"CASE WHEN ts_filter(c.search_vector, ARRAY['a']::\"char\"[]) @@ ({text}) THEN 1 ELSE 0 END";
        var sql = $"""
            WITH
            {string.Concat(windows)}
            c AS (
                {string.Join("\n    UNION ALL\n    ", steps)})
            SELECT c."Id" AS "Id",
                   ({titleFlag} + ts_rank_cd(ARRAY[0.1, 0.2, 0.4, 1.0]::float4[], c.search_vector, ({all}), 32))::float8 AS "Rank",
                   count(*) OVER () AS "Total"
            FROM c
            """;
        return db.Database.SqlQueryRaw<SearchRank>(sql, values.ToArray());
    }

    private static string Placeholder(int index) => "{" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
}
