using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PaperFeed.Data;

/// <summary>
/// SQLite's <c>synchronous=NORMAL</c> on every connection (a per-connection setting). In WAL mode a commit then returns
/// without waiting for the disk: a killed process still loses nothing it committed (the WAL is written before the commit
/// returns); a power cut or OS crash may roll back the last commits, never corrupt the file. With FULL, the digest sender's
/// one commit per accepted message (what keeps duplicates to one per connection after a kill) waited for a disk flush each.
/// PostgreSQL, the production catalog, keeps its own durable settings.
/// </summary>
public sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        command.ExecuteNonQuery();
    }
}
