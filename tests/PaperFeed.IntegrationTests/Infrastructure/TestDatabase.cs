using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>
    /// A fresh database that already holds every migration: a copy of one template per provider, migrated once per
    /// test run (PostgreSQL: CREATE DATABASE … TEMPLATE; SQLite: a file copy). Migrating each test's database took
    /// most of an integration test's time. Tests of migrating itself use <see cref="CreateAsync"/> (empty).
    /// </summary>
    public static async Task<TestDatabase> CreateMigratedAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var template = await SqliteTemplate.Value;
            var file = Path.Combine(Path.GetTempPath(), $"paperfeed-test-{Guid.NewGuid():N}.db");
            File.Copy(template, file);
            return new TestDatabase(provider, $"Data Source={file}", null, file);
        }
        var templateName = await PostgresTemplate.Value;
        var name = $"pf_{Guid.NewGuid():N}";
        // Copies from one template are serialized: PostgreSQL refuses a copy while another session is on the template.
        await TemplateCopy.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(PostgresServer);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{templateName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        finally
        {
            TemplateCopy.Release();
        }
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name };
        return new TestDatabase(provider, builder.ConnectionString, name, null);
    }

    private static readonly SemaphoreSlim TemplateCopy = new(1, 1);

    private static readonly Lazy<Task<string>> SqliteTemplate = new(async () =>
    {
        var file = Path.Combine(Path.GetTempPath(), $"paperfeed-template-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={file};Pooling=false";
        var options = new DbContextOptionsBuilder<SqliteCatalogDbContext>();
        options.UseCatalogSqlite(connectionString);
        await using (var db = new SqliteCatalogDbContext(options.Options))
            await db.Database.MigrateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(file);
        return file;
    });

    private static readonly Lazy<Task<string>> PostgresTemplate = new(async () =>
    {
        var name = $"pf_template_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(PostgresServer))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name, Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<PostgresCatalogDbContext>();
        options.UsePostgres(connectionString);
        await using (var db = new PostgresCatalogDbContext(options.Options))
            await db.Database.MigrateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                using var connection = new NpgsqlConnection(PostgresServer);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
            }
            catch (NpgsqlException)
            {
                // The throwaway server of ./build.sh test may already be gone; it takes the template with it.
            }
        };
        return name;
    });

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
