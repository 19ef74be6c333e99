using System.Collections.Concurrent;
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
    private readonly bool _reusable;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? postgresName, string? sqliteFile, bool reusable = false)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _sqliteFile = sqliteFile;
        _reusable = reusable;
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
    /// On PostgreSQL a database a finished test emptied is taken first (<see cref="DisposeAsync"/>).
    /// </summary>
    public static async Task<TestDatabase> CreateMigratedAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres && EmptiedPostgres.TryTake(out var emptied))
            return new TestDatabase(provider, new NpgsqlConnectionStringBuilder(PostgresServer) { Database = emptied }.ConnectionString, emptied, null, reusable: true);
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
        return new TestDatabase(provider, builder.ConnectionString, name, null, reusable: true);
    }

    private static readonly SemaphoreSlim TemplateCopy = new(1, 1);

    // Migrated PostgreSQL databases a finished test left empty, ready for the next: deleting the rows of ~40 small
    // tables takes ~40 ms, where a template copy took 0.1–0.5 s (one at a time), its drop 0.1–1.5 s, and each new
    // database's first app start installed Hangfire's schema again.
    private static readonly ConcurrentBag<string> EmptiedPostgres = [];

    // A developer's own server keeps no emptied database after the run (./build.sh test's server is thrown away anyway).
    static TestDatabase() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var name in EmptiedPostgres) DropAtExit(name);
    };

    /// <summary>Drops a database as the test process ends; the throwaway server of ./build.sh test may already be gone, and its databases with it.</summary>
    private static void DropAtExit(string name)
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
        }
    }

    // Every row of the catalog and of Hangfire's storage, every sequence back to 1: the database as the template left it
    // (plus Hangfire's empty tables). Foreign keys are not checked while deleting (replica role), so the order is free.
    private const string EmptyEveryTable = """
        SET lock_timeout = '5s';
        DO $$
        DECLARE r record;
        BEGIN
          SET LOCAL session_replication_role = replica;
          FOR r IN SELECT schemaname, tablename FROM pg_tables
                   WHERE schemaname IN ('public', 'hangfire') AND tablename NOT IN ('__EFMigrationsHistory', 'schema') LOOP
            EXECUTE format('DELETE FROM %I.%I', r.schemaname, r.tablename);
          END LOOP;
          FOR r IN SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname IN ('public', 'hangfire') LOOP
            EXECUTE format('ALTER SEQUENCE %I.%I RESTART', r.schemaname, r.sequencename);
          END LOOP;
        END $$;
        """;

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
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAtExit(name);
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
        if (_postgresName is not null && _reusable && await TryEmptyAsync())
        {
            EmptiedPostgres.Add(_postgresName);
            return;
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

    /// <summary>Empties this database for the next test; false when it cannot (a killed process's session still holds a lock).</summary>
    private async Task<bool> TryEmptyAsync()
    {
        try
        {
            // The finished app's idle connections go; the next test starts with none of its session state.
            await using (var old = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(old);
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var empty = new NpgsqlCommand(EmptyEveryTable, connection);
            await empty.ExecuteNonQueryAsync();
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
