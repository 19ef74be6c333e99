using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using PaperFeed.Papers;

namespace PaperFeed.Data;

/// <summary>A batch of finished rows: papers with their listings and sources, their topics and their upvote history.</summary>
public sealed record CatalogRows(IReadOnlyList<Paper> Papers, IReadOnlyList<(long PaperId, int TopicId)> Topics, IReadOnlyList<UpvoteSnapshot> Snapshots);

/// <summary>
/// Writes finished rows straight into the catalog tables, bypassing EF: Npgsql binary COPY on PostgreSQL, prepared
/// inserts on SQLite, one transaction per batch. The search index follows by itself (PostgreSQL's generated column,
/// SQLite's triggers). Papers carry their ids; listings and snapshots get theirs from the database. A paper's
/// <see cref="Paper.MergeHash"/> is written as given, or computed from the row when null.
/// </summary>
public static class CatalogBulkWriter
{
    internal sealed record Column(string Name, NpgsqlDbType Type, Func<Paper, object?> Value);

    /// <summary>Every column of "Papers", in order (tests/PaperFeed.Tests/Papers/PaperFieldCopiesTests checks none is missing).</summary>
    internal static readonly Column[] PaperColumns =
    [
        new("Id", NpgsqlDbType.Bigint, p => p.Id),
        new("Key", NpgsqlDbType.Varchar, p => p.Key),
        new("ArxivId", NpgsqlDbType.Varchar, p => p.ArxivId),
        new("Version", NpgsqlDbType.Integer, p => p.Version),
        new("Title", NpgsqlDbType.Varchar, p => p.Title),
        new("NormalizedTitle", NpgsqlDbType.Varchar, p => p.NormalizedTitle),
        new("Abstract", NpgsqlDbType.Text, p => p.Abstract),
        new("Authors", NpgsqlDbType.Array | NpgsqlDbType.Text, p => p.Authors),
        new("PublishedAt", NpgsqlDbType.TimestampTz, p => p.PublishedAt),
        new("Categories", NpgsqlDbType.Array | NpgsqlDbType.Text, p => p.Categories),
        new("PrimaryCategory", NpgsqlDbType.Text, p => p.PrimaryCategory),
        new("Comments", NpgsqlDbType.Text, p => p.Comments),
        new("JournalRef", NpgsqlDbType.Text, p => p.JournalRef),
        new("Doi", NpgsqlDbType.Text, p => p.Doi),
        new("GithubRepo", NpgsqlDbType.Text, p => p.GithubRepo),
        new("GithubStars", NpgsqlDbType.Integer, p => p.GithubStars),
        new("ProjectPage", NpgsqlDbType.Text, p => p.ProjectPage),
        new("VoteCount", NpgsqlDbType.Integer, p => p.VoteCount),
        new("Upvotes", NpgsqlDbType.Integer, p => p.Upvotes),
        new("NumComments", NpgsqlDbType.Integer, p => p.NumComments),
        new("CommentCount", NpgsqlDbType.Integer, p => p.CommentCount),
        new("SubmittedBy", NpgsqlDbType.Text, p => p.SubmittedBy),
        new("SubmittedByName", NpgsqlDbType.Text, p => p.SubmittedByName),
        new("Organization", NpgsqlDbType.Text, p => p.Organization),
        new("OrganizationName", NpgsqlDbType.Text, p => p.OrganizationName),
        new("AiSummary", NpgsqlDbType.Text, p => p.AiSummary),
        new("AiKeywords", NpgsqlDbType.Array | NpgsqlDbType.Text, p => p.AiKeywords),
        new("Thumbnail", NpgsqlDbType.Text, p => p.Thumbnail),
        new("DiscussionId", NpgsqlDbType.Text, p => p.DiscussionId),
        new("MetadataFromArxiv", NpgsqlDbType.Boolean, p => p.MetadataFromArxiv),
        new("TrendingScore", NpgsqlDbType.Double, p => p.TrendingScore),
        new("Hidden", NpgsqlDbType.Boolean, p => p.Hidden),
        new("ArxivTitleLookupAt", NpgsqlDbType.TimestampTz, p => p.ArxivTitleLookupAt),
        new("CreatedAt", NpgsqlDbType.TimestampTz, p => p.CreatedAt),
        new("UpdatedAt", NpgsqlDbType.TimestampTz, p => p.UpdatedAt),
        // Lets a later ingest of the same record skip the paper after reading two narrow columns.
        new("MergeHash", NpgsqlDbType.Bigint, p => p.MergeHash ?? PaperMerge.Fingerprint(p)),
    ];

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));

    /// <summary>Writes one batch in its own transaction, or in <paramref name="transaction"/> when given.</summary>
    public static async Task WriteAsync(DbConnection connection, CatalogRows rows, DbTransaction? transaction = null, CancellationToken ct = default)
    {
        switch (connection)
        {
            case NpgsqlConnection npgsql: await CopyAsync(npgsql, rows, transaction, ct); break;
            case SqliteConnection sqlite: await InsertAsync(sqlite, rows, (SqliteTransaction?)transaction, ct); break;
            default: throw new InvalidOperationException($"no bulk writer for {connection.GetType().Name}");
        }
    }

    /// <summary>After papers were written with explicit ids: the next id the database hands out follows them.</summary>
    public static async Task ResetPaperIdsAsync(DbConnection connection, CancellationToken ct = default)
    {
        // SQLite's AUTOINCREMENT already follows the largest id inserted.
        if (connection is not NpgsqlConnection) return;
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT setval(pg_get_serial_sequence('"Papers"', 'Id'), GREATEST((SELECT max("Id") FROM "Papers"), 1))""";
        await command.ExecuteScalarAsync(ct);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, CatalogRows rows, DbTransaction? outer, CancellationToken ct)
    {
        await using var own = outer is null ? await connection.BeginTransactionAsync(ct) : null;
        await using (var papers = await connection.BeginBinaryImportAsync($"COPY \"Papers\" ({Quoted(PaperColumns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var paper in rows.Papers)
            {
                await papers.StartRowAsync(ct);
                foreach (var column in PaperColumns)
                {
                    var value = column.Value(paper);
                    if (value is null) await papers.WriteNullAsync(ct);
                    else await papers.WriteAsync(value, column.Type, ct);
                }
            }
            await papers.CompleteAsync(ct);
        }
        await using (var listings = await connection.BeginBinaryImportAsync("""COPY "Listings" ("PaperId", "SourceId", "Day", "AnnounceType", "FirstSeenAt") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var l in rows.Papers.SelectMany(p => p.Listings))
            {
                await listings.StartRowAsync(ct);
                await listings.WriteAsync(l.PaperId, NpgsqlDbType.Bigint, ct);
                await listings.WriteAsync(l.SourceId, NpgsqlDbType.Integer, ct);
                await listings.WriteAsync(l.Day, NpgsqlDbType.Date, ct);
                if (l.AnnounceType is null) await listings.WriteNullAsync(ct);
                else await listings.WriteAsync(l.AnnounceType, NpgsqlDbType.Varchar, ct);
                await listings.WriteAsync(l.FirstSeenAt, NpgsqlDbType.TimestampTz, ct);
            }
            await listings.CompleteAsync(ct);
        }
        await using (var sources = await connection.BeginBinaryImportAsync("""COPY "PaperSources" ("PaperId", "SourceId", "FirstSeenAt") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var s in rows.Papers.SelectMany(p => p.Sources))
            {
                await sources.StartRowAsync(ct);
                await sources.WriteAsync(s.PaperId, NpgsqlDbType.Bigint, ct);
                await sources.WriteAsync(s.SourceId, NpgsqlDbType.Integer, ct);
                await sources.WriteAsync(s.FirstSeenAt, NpgsqlDbType.TimestampTz, ct);
            }
            await sources.CompleteAsync(ct);
        }
        await using (var topics = await connection.BeginBinaryImportAsync("""COPY "PaperTopics" ("PaperId", "TopicId") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var (paperId, topicId) in rows.Topics)
            {
                await topics.StartRowAsync(ct);
                await topics.WriteAsync(paperId, NpgsqlDbType.Bigint, ct);
                await topics.WriteAsync(topicId, NpgsqlDbType.Integer, ct);
            }
            await topics.CompleteAsync(ct);
        }
        await using (var snapshots = await connection.BeginBinaryImportAsync("""COPY "UpvoteSnapshots" ("PaperId", "At", "Upvotes") FROM STDIN (FORMAT BINARY)""", ct))
        {
            foreach (var s in rows.Snapshots)
            {
                await snapshots.StartRowAsync(ct);
                await snapshots.WriteAsync(s.PaperId, NpgsqlDbType.Bigint, ct);
                await snapshots.WriteAsync(s.At, NpgsqlDbType.TimestampTz, ct);
                await snapshots.WriteAsync(s.Upvotes, NpgsqlDbType.Integer, ct);
            }
            await snapshots.CompleteAsync(ct);
        }
        if (own is not null) await own.CommitAsync(ct);
    }

    private static async Task InsertAsync(SqliteConnection connection, CatalogRows rows, SqliteTransaction? outer, CancellationToken ct)
    {
        await using var own = outer is null ? (SqliteTransaction)await connection.BeginTransactionAsync(ct) : null;
        var transaction = outer ?? own!;
        await using var papers = Prepare(connection, transaction, "Papers", PaperColumns.Select(c => c.Name).ToArray());
        foreach (var paper in rows.Papers)
        {
            for (var i = 0; i < PaperColumns.Length; i++)
                papers.Parameters[i].Value = PaperColumns[i].Value(paper) switch
                {
                    null => DBNull.Value,
                    // EF stores primitive collections as JSON text on SQLite.
                    List<string> list => JsonSerializer.Serialize(list),
                    var value => value,
                };
            await papers.ExecuteNonQueryAsync(ct);
        }
        await using var listings = Prepare(connection, transaction, "Listings", "PaperId", "SourceId", "Day", "AnnounceType", "FirstSeenAt");
        foreach (var l in rows.Papers.SelectMany(p => p.Listings))
            await RunAsync(listings, ct, l.PaperId, l.SourceId, l.Day, l.AnnounceType, l.FirstSeenAt);
        await using var sources = Prepare(connection, transaction, "PaperSources", "PaperId", "SourceId", "FirstSeenAt");
        foreach (var s in rows.Papers.SelectMany(p => p.Sources))
            await RunAsync(sources, ct, s.PaperId, s.SourceId, s.FirstSeenAt);
        await using var topics = Prepare(connection, transaction, "PaperTopics", "PaperId", "TopicId");
        foreach (var (paperId, topicId) in rows.Topics)
            await RunAsync(topics, ct, paperId, topicId);
        await using var snapshots = Prepare(connection, transaction, "UpvoteSnapshots", "PaperId", "At", "Upvotes");
        foreach (var s in rows.Snapshots)
            await RunAsync(snapshots, ct, s.PaperId, s.At, s.Upvotes);
        if (own is not null) await own.CommitAsync(ct);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({Quoted(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        command.Prepare();
        return command;
    }

    private static async Task RunAsync(SqliteCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync(ct);
    }
}
