using Microsoft.Data.Sqlite;
using Npgsql;
using PaperFeed.Data;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>A fresh, empty catalog database on a real server: a new PostgreSQL database or a new SQLite file.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string? _postgresName;
    private readonly string? _sqliteFile;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? postgresName, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _sqliteFile = sqliteFile;
    }

    /// <summary>The server the test script started (./build.sh test sets PAPERFEED_TEST_PG).</summary>
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("PAPERFEED_TEST_PG")
        ?? throw new InvalidOperationException("PAPERFEED_TEST_PG is not set: run the tests with ./build.sh test, which starts a throwaway PostgreSQL.");

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"paperfeed-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={file}", null, file);
        }
        var name = $"pf_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresServer))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                File.Delete(_sqliteFile + suffix);
        }
        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
