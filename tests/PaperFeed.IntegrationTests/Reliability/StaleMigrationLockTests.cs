using Microsoft.Data.Sqlite;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// A process killed while it held EF Core's migration lock leaves a row in __EFMigrationsLock (SQLite has no session lock).
/// Found by the kill test: the next start waited forever. With nothing to migrate, the lock is not taken at all.
/// </summary>
public sealed class StaleMigrationLockTests
{
    [Fact]
    public async Task A_lock_left_by_a_killed_process_does_not_stop_the_next_start_of_an_up_to_date_catalog()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using (var first = new PaperFeedApp(database, ownsDatabase: false)) _ = first.Server;
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-11-25 17:15:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var second = new PaperFeedApp(database, ownsDatabase: false);
        await Task.Run(() => _ = second.Server).WaitAsync(TimeSpan.FromSeconds(60));
        using var client = second.CreateClient();
        using var home = await client.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.OK, home.StatusCode);
    }
}
