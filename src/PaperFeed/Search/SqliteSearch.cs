using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Search;

/// <summary>SQLite's search SQL: FTS5 (external-content table "PaperSearch" over Papers, kept in sync by triggers).</summary>
public static class SqliteSearch
{
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

    internal static IQueryable<long> Matches(CatalogDbContext db, SearchQuery query) =>
        // A plain value: EF makes a new parameter at each execution of the composed query (a list's page, then its count).
        db.Database.SqlQueryRaw<long>("""SELECT rowid AS "Value" FROM "PaperSearch" WHERE "PaperSearch" MATCH {0}""", ToFts5Match(query));

    // bm25 weights per column (title, authors, abstract). The same bound as on PostgreSQL: the newest N matches
    // (FTS5 walks its rowids backwards and stops), then only those are ranked, so a common word costs what N matches cost.
    internal static IQueryable<SearchRank> Ranked(CatalogDbContext db, SearchQuery query, int candidates) =>
        db.Database.SqlQueryRaw<SearchRank>("""
            SELECT c."Id", c."Rank", count(*) OVER () AS "Total" FROM (
                SELECT s.rowid AS "Id", -bm25("PaperSearch", 10.0, 5.0, 1.0) AS "Rank"
                FROM "PaperSearch" AS s JOIN "Papers" AS p ON p."Id" = s.rowid
                WHERE "PaperSearch" MATCH @match AND NOT p."Hidden"
                ORDER BY s.rowid DESC LIMIT @candidates) AS c
            """, new SqliteParameter("@match", ToFts5Match(query)), new SqliteParameter("@candidates", candidates));
}
