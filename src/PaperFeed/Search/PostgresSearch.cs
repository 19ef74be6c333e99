using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using PaperFeed.Data;

namespace PaperFeed.Search;

/// <summary>
/// PostgreSQL's search SQL: the weighted tsvector column search_vector (A title, B authors, C abstract), GIN-indexed.
/// Every statement collects its values in one <see cref="Parameters"/> as its text is built, so pieces compose
/// without renumbering: the text holds only fixed fragments and the names Add returns.
/// </summary>
public static class PostgresSearch
{
    /// <summary>
    /// The parameters of one statement; a value's placeholder in the text is what Add returns: a name (@v0) for a
    /// statement run once, or, <paramref name="positional"/>, EF's {0}, with plain values from which EF makes new
    /// DbParameters at every execution (a composed IQueryable runs twice: a list's page, then its count).
    /// </summary>
    private sealed class Parameters(bool positional = false)
    {
        private readonly List<NpgsqlParameter> list = [];

        public string Add(object value)
        {
            var index = list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new NpgsqlParameter("@v" + index, value));
            return positional ? "{" + index + "}" : "@v" + index;
        }

        public IReadOnlyList<NpgsqlParameter> List => list;
        public object[] ToArray() => positional ? [.. list.Select(p => p.Value!)] : [.. list];
    }

    /// <summary>
    /// A tsquery expression: each term matches stemmed (english) or exactly (simple, for author names); a term that is
    /// only a stop word drops out; phrases must be adjacent; authors exact.
    /// </summary>
    private static string TsQuery(SearchQuery query, bool withAuthors, Parameters values)
    {
        var parts = new List<string>();
        foreach (var term in query.Terms)
        {
            var p = values.Add(term);
            parts.Add($"(CASE WHEN numnode(plainto_tsquery('english', {p})) = 0 THEN plainto_tsquery('simple', '') " +
                      $"ELSE plainto_tsquery('english', {p}) || plainto_tsquery('simple', {p}) END)");
        }
        foreach (var phrase in query.Phrases)
            parts.Add(query.Hyphenated.TryGetValue(phrase, out var typed)
                ? $"(phraseto_tsquery('english', {values.Add(phrase)}) || phraseto_tsquery('english', {values.Add(typed)}))"
                : $"phraseto_tsquery('english', {values.Add(phrase)})");
        if (withAuthors)
            foreach (var author in query.Authors) parts.Add($"phraseto_tsquery('simple', {values.Add(author)})");
        return parts.Count == 0 ? "plainto_tsquery('simple', '')" : string.Join(" && ", parts);
    }

    /// <summary>The WHERE of a match: the whole query on the indexed vector, then author filters on the authors' part (weight B).</summary>
    private static string Where(SearchQuery query, string vector, Parameters values)
    {
        var sql = new StringBuilder($"{vector} @@ ({TsQuery(query, withAuthors: true, values)})");
        foreach (var author in query.Authors)
            sql.Append($" AND ts_filter({vector}, ARRAY['b']::\"char\"[]) @@ phraseto_tsquery('simple', {values.Add(author)})");
        return sql.ToString();
    }

    /// <summary>The query's words as a tsquery the GIN index answers exactly (no positions, no weights): for phrases and authors, a superset of the matches.</summary>
    private static string Words(SearchQuery query, Parameters values)
    {
        var parts = query.Terms.Count > 0 ? new List<string> { $"({TsQuery(query with { Phrases = [], Authors = [] }, withAuthors: false, values)})" } : [];
        foreach (var phrase in query.Phrases) parts.Add($"plainto_tsquery('english', {values.Add(phrase)})");
        foreach (var author in query.Authors) parts.Add($"plainto_tsquery('simple', {values.Add(author)})");
        return parts.Count == 0 ? "plainto_tsquery('simple', '')" : string.Join(" && ", parts);
    }

    /// <summary>Every matching paper's id, as a subquery a list composes (its parameters made anew at each execution).</summary>
    internal static IQueryable<long> Matches(CatalogDbContext db, SearchQuery query)
    {
        var values = new Parameters(positional: true);
        var sql = $"""SELECT "Id" AS "Value" FROM "Papers" WHERE {Where(query, "search_vector", values)}""";
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

    /// <summary>
    /// The ids of the candidates (newest first, at most <paramref name="candidates"/>) and, when a phrase or author
    /// filter ran out of <paramref name="checkRows"/> before every paper holding its words was checked, the date added
    /// of the oldest one checked.
    /// </summary>
    internal static async Task<(long[] Ids, DateTime? CheckedSince)> CandidatesAsync(CatalogDbContext db, SearchQuery query,
        int candidates, int checkRows, CancellationToken ct)
    {
        // Two probes of the primary key (min and max as one aggregate would scan the table).
        var span = await db.Database.SqlQueryRaw<IdSpan>(
            """SELECT (SELECT min("Id") FROM "Papers") AS "Min", (SELECT max("Id") FROM "Papers") AS "Max" """).ToListAsync(ct);
        if (span[0] is not { Min: { } min, Max: { } max }) return ([], null);
        var size = max - min + 1;
        var checks = query.Phrases.Count + query.Authors.Count > 0;
        var limit = checks ? Math.Min(candidates * CheckBudgetFactor, checkRows) : candidates;

        // Shares of the catalog: papers holding the rarest word (an upper bound of the matches: words that go together
        // are common), and the planner's estimate for all the words (it assumes they are independent: a lower one).
        // Stop words drop out of the query (english), so they say nothing about how many papers match.
        var english = query.Terms.Concat(query.Phrases.SelectMany(p => p.Split(' '))).Distinct().ToArray();
        var stopWords = english.Length == 0 ? [] : await db.Database.SqlQueryRaw<string>(
            """SELECT w AS "Value" FROM unnest(@words) AS w WHERE numnode(plainto_tsquery('english', w)) = 0""",
            new NpgsqlParameter("@words", english)).ToListAsync(ct);
        var estimates = await EstimatesAsync(db, [values => Words(query, values), .. SingleWords(query, stopWords)], ct);
        var rarest = estimates.Count > 1 ? estimates.Skip(1).Min() : double.MaxValue;
        var upper = rarest == double.MaxValue ? 1.0 : Math.Clamp(rarest / size, 1e-9, 1.0);

        long range;
        if (upper >= DenseShare)
        {
            // At most 8·N rows (beyond that the index costs less): for words, about twice the rows that should hold N
            // matches by the planner's estimate for all of them; phrases and authors check them all.
            var lower = estimates[0] / size;
            var walk = Math.Min(size, checks ? 4L * candidates : (long)Math.Min(8.0 * candidates, Math.Ceiling(2 * candidates / Math.Max(lower, 1e-9))));
            var walked = await WalkAsync(db, query, walk, candidates, ct);
            if (walked.Length >= candidates || walk >= size) return (walked, null);
            // A phrase rarer than its words: the index over the whole catalog, below.
            range = checks ? size : (long)(walk * Math.Clamp(1.25 * candidates / Math.Max(walked.Length, 1), 2, 256));
        }
        else range = (long)Math.Ceiling((checks ? limit : 2 * candidates) / upper);

        // Phrases and authors: papers holding all the words are checked newest first, 2·N, then the rest of checkRows
        // (each step one index probe and one read of the rows holding the words), until N match, every paper holding
        // the words was checked, or checkRows were: a phrase found only in an old paper is found.
        var found = new List<long>();
        var below = long.MaxValue;
        var checkedRows = 0L;
        while (true)
        {
            var from = range >= size ? min : max - range + 1;
            var (ids, read, oldest) = await IndexAsync(db, query, from, below, limit, candidates - found.Count, ct);
            found.AddRange(ids);
            if (found.Count >= candidates) return ([.. found], null);
            if (read >= limit)
            {
                // The range holds more papers with the words than this step took: the next step takes older ones.
                checkedRows += read;
                if (!checks || checkedRows >= checkRows)
                    return ([.. found], await db.Papers.Where(p => p.Id == oldest).Select(p => p.CreatedAt).FirstAsync(ct));
                below = oldest;
                limit = (int)(checkRows - checkedRows);
                continue;
            }
            if (from == min) return ([.. found], null);
            checkedRows += read;
            below = Math.Min(below, from);
            // Widen by what this range held, to a little more than is needed (every paper in the range that holds the
            // words is fetched), at least twice.
            range = (long)Math.Min(size, range * Math.Clamp(1.25 * limit / Math.Max(read, 1), 2, 256));
        }
    }

    /// <summary>Each word of the query alone, as the index sees it, for the estimates.</summary>
    private static IEnumerable<Func<Parameters, string>> SingleWords(SearchQuery query, List<string> stopWords)
    {
        foreach (var term in query.Terms.Except(stopWords)) yield return values => TsQuery(new SearchQuery([term], [], []), withAuthors: false, values);
        foreach (var word in query.Phrases.SelectMany(p => p.Split(' ')).Distinct().Except(stopWords))
            yield return values => $"plainto_tsquery('english', {values.Add(word)})";
        foreach (var word in query.Authors.SelectMany(a => a.Split(' ')).Distinct())
            yield return values => $"plainto_tsquery('simple', {values.Add(word)})";
    }

    /// <summary>
    /// The planner's estimates of the rows the GIN index returns for each tsquery (its statistics of the column's
    /// words), in one round trip: a UNION ALL of one branch per tsquery, whose plan lists the branches in order.
    /// </summary>
    private static async Task<List<double>> EstimatesAsync(CatalogDbContext db, List<Func<Parameters, string>> tsqueries, CancellationToken ct)
    {
        var values = new Parameters();
        var branches = tsqueries.Select(tsquery => $"""SELECT 1 FROM "Papers" WHERE search_vector @@ ({tsquery(values)})""").ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + string.Join(" UNION ALL ", branches), connection,
            (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var parameter in values.List) command.Parameters.Add(parameter);
        var plan = (string)(await command.ExecuteScalarAsync(ct))!;
        using var json = System.Text.Json.JsonDocument.Parse(plan);
        var root = json.RootElement[0].GetProperty("Plan");
        return tsqueries.Count == 1
            ? [root.GetProperty("Plan Rows").GetDouble()]
            : root.GetProperty("Plans").EnumerateArray().Select(p => p.GetProperty("Plan Rows").GetDouble()).ToList();
    }

    /// <summary>The newest <paramref name="rows"/> rows walked backwards by primary key, each checked; stops at <paramref name="candidates"/> matches.</summary>
    private static Task<long[]> WalkAsync(CatalogDbContext db, SearchQuery query, long rows, int candidates, CancellationToken ct)
    {
        var values = new Parameters();
        var sql = $"""
            SELECT "Id" AS "Value"
            FROM (SELECT "Id", "Hidden", search_vector FROM "Papers" ORDER BY "Id" DESC LIMIT {values.Add(rows)}) AS w
            WHERE NOT "Hidden" AND {Where(query, "search_vector", values)}
            ORDER BY "Id" DESC LIMIT {values.Add(candidates)}
            """;
        return db.Database.SqlQueryRaw<long>(sql, values.ToArray()).ToArrayAsync(ct);
    }

    /// <summary>
    /// The newest <paramref name="limit"/> papers with <paramref name="from"/> ≤ "Id" &lt; <paramref name="below"/> that hold all the words (the GIN
    /// index ANDed with the primary key's range), then of those, newest first, up to <paramref name="candidates"/> that
    /// match (phrases, authors: the vector is read only here); and how many papers were read, the oldest of them.
    /// Only bitmap scans for these statements: the planner counts reading a row's vector as free, so it would rather
    /// walk the range and detoast every row.
    /// </summary>
    private static async Task<(long[] Ids, long Read, long Oldest)> IndexAsync(CatalogDbContext db, SearchQuery query, long from,
        long below, int limit, int candidates, CancellationToken ct)
    {
        var values = new Parameters();
        var checks = query.Phrases.Count + query.Authors.Count > 0;
        // The window functions read the whole (bounded) set first, keeping only toast pointers, and keep its order, so
        // the check then reads vectors newest first and stops at the limit (the plan has no sort above the window).
        // OFFSET 0 keeps the check evaluated once per row. The oldest paper read is always returned (flagged if it does not match): its row says how many were read.
        var sql = $"""
            SELECT "Id", "Read", "Oldest", "Match"
            FROM (SELECT "Id", "Read", "Oldest", {(checks ? Where(query, "search_vector", values) : "TRUE")} AS "Match"
                  FROM (SELECT "Id", search_vector,
                               count(*) OVER w AS "Read", min("Id") OVER w AS "Oldest"
                        FROM (SELECT "Id", search_vector FROM "Papers"
                              WHERE "Id" >= {values.Add(from)} AND "Id" < {values.Add(below)} AND NOT "Hidden" AND search_vector @@ ({Words(query, values)})
                              ORDER BY "Id" DESC LIMIT {values.Add(limit)}) AS s
                        WINDOW w AS (ORDER BY "Id" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) AS c
                  ORDER BY "Id" DESC OFFSET 0) AS m
            WHERE "Match" OR "Id" = "Oldest"
            ORDER BY "Id" DESC LIMIT {values.Add(candidates + 1)}
            """;
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off", ct);
        var rows = await db.Database.SqlQueryRaw<IndexRow>(sql, values.ToArray()).ToListAsync(ct);
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

    /// <summary>The candidates ranked: title matches first (a flag for "the title alone matches"), then ts_rank_cd normalised to [0, 1).</summary>
    internal static IQueryable<SearchRank> Ranked(CatalogDbContext db, SearchQuery query, long[] ids)
    {
        var values = new Parameters();
        var titleFlag = query.Terms.Count + query.Phrases.Count == 0
            ? "0"
            : $"CASE WHEN ts_filter(c.search_vector, ARRAY['a']::\"char\"[]) @@ ({TsQuery(query, withAuthors: false, values)}) THEN 1 ELSE 0 END";
        var sql = $"""
            SELECT c."Id" AS "Id",
                   ({titleFlag} + ts_rank_cd(ARRAY[0.1, 0.2, 0.4, 1.0]::float4[], c.search_vector, ({TsQuery(query, withAuthors: true, values)}), 32))::float8 AS "Rank",
                   count(*) OVER () AS "Total"
            FROM "Papers" AS c WHERE c."Id" = ANY({values.Add(ids)})
            """;
        return db.Database.SqlQueryRaw<SearchRank>(sql, values.ToArray());
    }
}
