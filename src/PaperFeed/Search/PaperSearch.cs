using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
public sealed record SearchResults(List<PaperCard> Papers, int Total, bool Capped, DateTime? CheckedSince = null);

/// <summary>
/// Full-text matching of papers (title, abstract, authors). The provider-specific SQL lives here only (and in the
/// Search migrations, which create the PostgreSQL tsvector column and the SQLite FTS5 table it queries).
/// User text reaches SQL only as parameter values, and only after <see cref="SearchQuery"/> has reduced it to
/// words: the query syntax around the values is built here.
/// </summary>
public static class PaperSearch
{
    public static void AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<HybridSearch>();
    }

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
        // Parallel workers are no gain either on a small server with concurrent searches (and the estimates below read
        // the plain plan's row counts).
        if (postgres) await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0", ct);

        // The candidates are found first (PostgreSQL: bounded steps), then ranked once; the window count gives the
        // total beside the page.
        DateTime? checkedSince = null;
        IQueryable<SearchRank> ranks;
        if (postgres)
        {
            (var ids, checkedSince) = await PostgresCandidatesAsync(db, query, candidates, ct);
            ranks = PostgresRanked(db, query, ids);
        }
        else ranks = SqliteRanked(db, query, candidates);
        var rows = await ranks.OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        // Past the last page there is no row to carry the total.
        var total = rows.Count > 0 ? (int)rows[0].Total : page > 1 ? await ranks.CountAsync(ct) : 0;
        var pageIds = rows.Select(r => r.Id).ToList();
        var cards = await db.Papers.AsNoTracking().Where(p => pageIds.Contains(p.Id)).ToCards().ToListAsync(ct);
        var papers = pageIds.Select(id => cards.Single(c => c.Id == id)).ToList();
        return new SearchResults(papers, total, total >= candidates, checkedSince);
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
        foreach (var phrase in query.Phrases)
            parts.Add(query.Hyphenated.TryGetValue(phrase, out var typed)
                ? $"(phraseto_tsquery('english', {Next(phrase)}) || phraseto_tsquery('english', {Next(typed)}))"
                : $"phraseto_tsquery('english', {Next(phrase)})");
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

    // Bounded candidates. A common word matches much of the catalog, and ranking reads (detoasts) every vector it
    // ranks, so at most N matches are ranked: the N most recently added. How to find them cheaply depends on how many
    // papers match:
    //  - when even the query's rarest word is in at least a tenth of the papers (the planner's estimates, good for
    //    single words): walk the newest rows by primary key, checking each, and stop at N (at most 8·N rows; reading
    //    the GIN index for such words costs more: their posting lists are huge);
    //  - fewer: the GIN index ANDed in a bitmap with an "Id" range of the newest papers, sized to hold about 2·N
    //    matches by the estimate of the query's rarest word (several words are seldom independent: 'point' and
    //    'cloud' go together), widened while it holds fewer. Only matches in the range are fetched, and, the index
    //    being exact for words, none is detoasted.
    // Phrases and author filters need each candidate's vector (positions, weights: the GIN index has neither), so the
    // index gives a superset (papers with all the words), and reading all of it is what made a phrase of common words
    // slow (every paper holding 'state' and 'art': 25,000 rows, 0.7-0.9 s). They check at most 2·N papers holding
    // all the words, the most recently added (or, when their words are dense, the newest 4·N rows); when more papers
    // hold the words, the page says since when papers were checked.
    private const double DenseShare = 0.1;
    private const int CheckBudgetFactor = 2;

    /// <summary>The ids of the candidates (newest first, at most <paramref name="candidates"/>) and, when not every paper holding the words was checked, the date added of the oldest one checked.</summary>
    private static async Task<(long[] Ids, DateTime? CheckedSince)> PostgresCandidatesAsync(CatalogDbContext db, SearchQuery query,
        int candidates, CancellationToken ct)
    {
        // Two probes of the primary key (min and max as one aggregate would scan the table).
        var span = await db.Database.SqlQueryRaw<IdSpan>(
            """SELECT (SELECT min("Id") FROM "Papers") AS "Min", (SELECT max("Id") FROM "Papers") AS "Max" """).ToListAsync(ct);
        if (span[0] is not { Min: { } min, Max: { } max }) return ([], null);
        var size = max - min + 1;
        var checks = query.Phrases.Count + query.Authors.Count > 0;
        var limit = checks ? candidates * CheckBudgetFactor : candidates;

        // Shares of the catalog: papers holding the rarest word (an upper bound of the matches: words that go together
        // are common), and the planner's estimate for all the words (it assumes they are independent: a lower one).
        // Stop words drop out of the query (english), so they say nothing about how many papers match.
        var english = query.Terms.Concat(query.Phrases.SelectMany(p => p.Split(' '))).Distinct().ToArray();
        var stopWords = english.Length == 0 ? [] : await db.Database.SqlQueryRaw<string>(
            """SELECT w AS "Value" FROM unnest({0}) AS w WHERE numnode(plainto_tsquery('english', w)) = 0""", [english]).ToListAsync(ct);
        var estimates = await EstimatesAsync(db, [PostgresWords(query), .. PostgresSingleWords(query, stopWords)], ct);
        var rarest = estimates.Count > 1 ? estimates.Skip(1).Min() : double.MaxValue;
        var upper = rarest == double.MaxValue ? 1.0 : Math.Clamp(rarest / size, 1e-9, 1.0);

        long range;
        if (upper >= DenseShare)
        {
            // At most 8·N rows (beyond that the index costs less): for words, about twice the rows that should hold N
            // matches by the planner's estimate for all of them; phrases and authors check them all.
            var lower = estimates[0] / size;
            var walk = Math.Min(size, checks ? 4L * candidates : (long)Math.Min(8.0 * candidates, Math.Ceiling(2 * candidates / Math.Max(lower, 1e-9))));
            var walked = await PostgresWalkAsync(db, query, walk, candidates, ct);
            if (walked.Length >= candidates || walk >= size) return (walked, null);
            if (checks) return (walked, await NewestAddedAsync(db, walk, ct));
            range = (long)(walk * Math.Clamp(1.25 * candidates / Math.Max(walked.Length, 1), 2, 256));
        }
        else range = (long)Math.Ceiling((checks ? limit : 2 * candidates) / upper);

        while (true)
        {
            var from = range >= size ? min : max - range + 1;
            var (found, read, oldest) = await PostgresIndexAsync(db, query, from, limit, candidates, ct);
            if (found.Length >= candidates) return (found, null);
            if (read >= limit) return (found, await db.Papers.Where(p => p.Id == oldest).Select(p => p.CreatedAt).FirstAsync(ct));
            if (from == min) return (found, null);
            // Widen by what this range held, to a little more than is needed (every paper in the range that holds the
            // words is fetched), at least twice.
            range = (long)Math.Min(size, range * Math.Clamp(1.25 * limit / Math.Max(read, 1), 2, 256));
        }
    }

    /// <summary>The query's words as a tsquery the GIN index answers exactly (no positions, no weights): for phrases and authors, a superset of the matches.</summary>
    private static (string Sql, List<object> Values) PostgresWords(SearchQuery query, int first = 0)
    {
        var (terms, values) = PostgresQuery(query with { Phrases = [], Authors = [] }, withAuthors: false, first);
        var parts = query.Terms.Count > 0 ? new List<string> { $"({terms})" } : [];
        string Next(string value) { values.Add(value); return Placeholder(first + values.Count - 1); }
        foreach (var phrase in query.Phrases) parts.Add($"plainto_tsquery('english', {Next(phrase)})");
        foreach (var author in query.Authors) parts.Add($"plainto_tsquery('simple', {Next(author)})");
        return (parts.Count == 0 ? "plainto_tsquery('simple', '')" : string.Join(" && ", parts), values);
    }

    /// <summary>Each word of the query alone, as the index sees it, for the estimates.</summary>
    private static IEnumerable<(string Sql, List<object> Values)> PostgresSingleWords(SearchQuery query, List<string> stopWords)
    {
        foreach (var term in query.Terms.Except(stopWords)) yield return PostgresQuery(new SearchQuery([term], [], []), withAuthors: false);
        foreach (var word in query.Phrases.SelectMany(p => p.Split(' ')).Distinct().Except(stopWords))
            yield return ("plainto_tsquery('english', {0})", [word]);
        foreach (var word in query.Authors.SelectMany(a => a.Split(' ')).Distinct()) yield return ("plainto_tsquery('simple', {0})", [word]);
    }

    /// <summary>
    /// The planner's estimates of the rows the GIN index returns for each tsquery (its statistics of the column's
    /// words), in one round trip: a UNION ALL of one branch per tsquery, whose plan lists the branches in order.
    /// </summary>
    private static async Task<List<double>> EstimatesAsync(CatalogDbContext db, List<(string Sql, List<object> Values)> tsqueries,
        CancellationToken ct)
    {
        var values = new List<object>();
        var branches = new List<string>();
        foreach (var (sql, branchValues) in tsqueries)
        {
            // Renumber the branch's placeholders after the values before it.
            var offset = values.Count;
            branches.Add($"""SELECT 1 FROM "Papers" WHERE search_vector @@ ({System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}",
                m => Placeholder(offset + int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))})""");
            values.AddRange(branchValues);
        }
        var plan = await ScalarAsync<string>(db, "EXPLAIN (FORMAT JSON) " + string.Join(" UNION ALL ", branches), values, ct);
        using var json = System.Text.Json.JsonDocument.Parse(plan!);
        var root = json.RootElement[0].GetProperty("Plan");
        return tsqueries.Count == 1
            ? [root.GetProperty("Plan Rows").GetDouble()]
            : root.GetProperty("Plans").EnumerateArray().Select(p => p.GetProperty("Plan Rows").GetDouble()).ToList();
    }

    /// <summary>The newest <paramref name="rows"/> rows walked backwards by primary key, each checked; stops at <paramref name="candidates"/> matches.</summary>
    private static Task<long[]> PostgresWalkAsync(CatalogDbContext db, SearchQuery query, long rows, int candidates, CancellationToken ct)
    {
        var (where, values) = PostgresWhere(query, "search_vector", first: 2);
        // The SQL text is ours alone (fixed fragments and {n} placeholders); user words are only in values.
        var sql = $"""
            SELECT "Id" AS "Value"
            FROM (SELECT "Id", "Hidden", search_vector FROM "Papers" ORDER BY "Id" DESC LIMIT {Placeholder(0)}) AS w
            WHERE NOT "Hidden" AND {where}
            ORDER BY "Id" DESC LIMIT {Placeholder(1)}
            """;
        return db.Database.SqlQueryRaw<long>(sql, [rows, candidates, .. values]).ToArrayAsync(ct);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> papers with "Id" ≥ <paramref name="from"/> that hold all the words (the GIN
    /// index ANDed with the primary key's range), then of those, newest first, up to <paramref name="candidates"/> that
    /// match (phrases, authors: the vector is read only here); and how many papers were read, the oldest of them.
    /// Only bitmap scans for these statements: the planner counts reading a row's vector as free, so it would rather
    /// walk the range and detoast every row.
    /// </summary>
    private static async Task<(long[] Ids, long Read, long Oldest)> PostgresIndexAsync(CatalogDbContext db, SearchQuery query, long from,
        int limit, int candidates, CancellationToken ct)
    {
        var (words, values) = PostgresWords(query, first: 3);
        var checks = query.Phrases.Count + query.Authors.Count > 0;
        var (where, whereValues) = checks ? PostgresWhere(query, "search_vector", first: 3 + values.Count) : ("TRUE", []);
        values.AddRange(whereValues);
        // The window functions read the whole (bounded) set first, keeping only toast pointers, and keep its order, so
        // the check then reads vectors newest first and stops at the limit (the plan has no sort above the window).
        // OFFSET 0 keeps the check evaluated once per row. The oldest paper read is always returned (flagged if it does not match): its row says how many were read.
        var sql = $"""
            SELECT "Id", "Read", "Oldest", "Match"
            FROM (SELECT "Id", "Read", "Oldest", {where} AS "Match"
                  FROM (SELECT "Id", search_vector,
                               count(*) OVER w AS "Read", min("Id") OVER w AS "Oldest"
                        FROM (SELECT "Id", search_vector FROM "Papers"
                              WHERE "Id" >= {Placeholder(0)} AND NOT "Hidden" AND search_vector @@ ({words})
                              ORDER BY "Id" DESC LIMIT {Placeholder(1)}) AS s
                        WINDOW w AS (ORDER BY "Id" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) AS c
                  ORDER BY "Id" DESC OFFSET 0) AS m
            WHERE "Match" OR "Id" = "Oldest"
            ORDER BY "Id" DESC LIMIT {Placeholder(2)}
            """;
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off", ct);
        var rows = await db.Database.SqlQueryRaw<IndexRow>(sql, [from, limit, candidates + 1, .. values]).ToListAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_indexscan = on; SET LOCAL enable_seqscan = on", ct);
        return (rows.Where(r => r.Match).Take(candidates).Select(r => r.Id).ToArray(), rows.FirstOrDefault()?.Read ?? 0, rows.FirstOrDefault()?.Oldest ?? 0);
    }

    private sealed class IdSpan
    {
        public long? Min { get; set; }
        public long? Max { get; set; }
    }

    private sealed class IndexRow
    {
        public long Id { get; set; }
        public long Read { get; set; }
        public long Oldest { get; set; }
        public bool Match { get; set; }
    }

    private static Task<DateTime> NewestAddedAsync(CatalogDbContext db, long rows, CancellationToken ct) =>
        db.Papers.OrderByDescending(p => p.Id).Skip((int)rows - 1).Select(p => p.CreatedAt).FirstAsync(ct);

    private static async Task<T?> ScalarAsync<T>(CatalogDbContext db, string sql, List<object> values, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        // {n} placeholders become Npgsql's positional $n+1; the values stay parameters.
        command.CommandText = System.Text.RegularExpressions.Regex.Replace(sql, @"\{(\d+)\}",
            m => "$" + (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var value in values) command.AddParameter(null, value);
        return (T?)await command.ExecuteScalarAsync(ct);
    }

    /// <summary>The candidates ranked: title matches first (a flag for "the title alone matches"), then ts_rank_cd normalised to [0, 1).</summary>
    private static IQueryable<SearchRank> PostgresRanked(CatalogDbContext db, SearchQuery query, long[] ids)
    {
        var values = new List<object> { ids };
        var (text, textValues) = PostgresQuery(query, withAuthors: false, first: values.Count);
        values.AddRange(textValues);
        var (all, rankValues) = PostgresQuery(query, withAuthors: true, first: values.Count);
        values.AddRange(rankValues);
        var titleFlag = query.Terms.Count + query.Phrases.Count == 0
            ? "0"
            : $"CASE WHEN ts_filter(c.search_vector, ARRAY['a']::\"char\"[]) @@ ({text}) THEN 1 ELSE 0 END";
        var sql = $"""
            SELECT c."Id" AS "Id",
                   ({titleFlag} + ts_rank_cd(ARRAY[0.1, 0.2, 0.4, 1.0]::float4[], c.search_vector, ({all}), 32))::float8 AS "Rank",
                   count(*) OVER () AS "Total"
            FROM "Papers" AS c WHERE c."Id" = ANY({Placeholder(0)})
            """;
        return db.Database.SqlQueryRaw<SearchRank>(sql, values.ToArray());
    }

    private static string Placeholder(int index) => "{" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
}
