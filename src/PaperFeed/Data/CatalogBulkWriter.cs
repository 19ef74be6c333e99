using System.Data.Common;
using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
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
    /// <summary>A column of "Papers": its name and store type as the EF model maps them, and the paper's value.</summary>
    internal sealed record Column(string Name, string StoreType, Func<Paper, object?> Value);

    /// <summary>
    /// Every column of "Papers", taken from the provider's compiled EF model (the one the app runs on, which
    /// CompiledModelTests keeps equal to the code's), so a property added to <see cref="Paper"/> is written here with
    /// nothing else to change. PostgreSQL's generated search_vector is a shadow property: not written.
    /// </summary>
    internal static Column[] PaperColumns(DbConnection connection) => connection is NpgsqlConnection ? PostgresPaperColumns.Value : SqlitePaperColumns.Value;

    private static readonly Lazy<Column[]> PostgresPaperColumns = new(() => ColumnsOf(CompiledModels.Postgres.PostgresCatalogDbContextModel.Instance));
    private static readonly Lazy<Column[]> SqlitePaperColumns = new(() => ColumnsOf(CompiledModels.Sqlite.SqliteCatalogDbContextModel.Instance));

    internal static Column[] ColumnsOf(IModel model) =>
        model.FindEntityType(typeof(Paper))!.GetProperties().Where(p => !p.IsShadowProperty())
            .Select(p => new Column(p.GetColumnName(), p.GetRelationalTypeMapping().StoreTypeNameBase,
                // Lets a later ingest of the same record skip the paper after reading two narrow columns.
                p.Name == nameof(Paper.MergeHash) ? paper => paper.MergeHash ?? PaperMerge.Fingerprint(paper) : Getter(p.PropertyInfo!)))
            .ToArray();

    private static Func<Paper, object?> Getter(System.Reflection.PropertyInfo property)
    {
        var paper = Expression.Parameter(typeof(Paper));
        return Expression.Lambda<Func<Paper, object?>>(Expression.Convert(Expression.Property(paper, property), typeof(object)), paper).Compile();
    }

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
        var columns = PaperColumns(connection);
        await using (var papers = await connection.BeginBinaryImportAsync($"COPY \"Papers\" ({Quoted(columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var paper in rows.Papers)
            {
                await papers.StartRowAsync(ct);
                foreach (var column in columns)
                {
                    var value = column.Value(paper);
                    if (value is null) await papers.WriteNullAsync(ct);
                    else await papers.WriteAsync(value, column.StoreType, ct);
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
        var columns = PaperColumns(connection);
        await using var papers = Prepare(connection, transaction, "Papers", columns.Select(c => c.Name).ToArray());
        foreach (var paper in rows.Papers)
        {
            for (var i = 0; i < columns.Length; i++)
                papers.Parameters[i].Value = columns[i].Value(paper) switch
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
        command.CommandText = $"INSERT INTO \"{table}\" ({Quoted(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        for (var i = 0; i < columns.Length; i++) command.Parameters.Add(new SqliteParameter($"@p{i}", null));
        command.Prepare();
        return command;
    }

    private static async Task RunAsync(SqliteCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        await command.ExecuteNonQueryAsync(ct);
    }
}
