using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace PaperFeed.Data;

public static class CatalogExtensions
{
    /// <summary>The single switch between the embedded SQLite catalog and PostgreSQL.</summary>
    public static void AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("Catalog");

        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Catalog is not set.");
            builder.Services.AddDbContext<CatalogDbContext, PostgresCatalogDbContext>(o => o.UsePostgres(connectionString));
        }
        else
        {
            connectionString ??= DefaultSqliteConnectionString(builder.Environment.ContentRootPath);
            builder.Services.AddDbContext<CatalogDbContext, SqliteCatalogDbContext>(o => o.UseCatalogSqlite(connectionString));
        }
    }

    public static string DefaultSqliteConnectionString(string contentRoot) =>
        $"Data Source={Path.Combine(contentRoot, "data", "paperfeed.db")}";

    internal static DbContextOptionsBuilder UsePostgres(this DbContextOptionsBuilder o, string connectionString) =>
        o.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(CatalogDbContext).Assembly.FullName));

    internal static DbContextOptionsBuilder UseCatalogSqlite(this DbContextOptionsBuilder o, string connectionString)
    {
        // Create the folder of the database file on first run.
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder) && file != ":memory:") Directory.CreateDirectory(folder);
        return o.UseSqlite(connectionString).AddInterceptors(new SqliteSynchronousNormal());
    }

    /// <summary>
    /// Brings the schema up to date where allowed; otherwise refuses to run on a schema that is behind.
    /// </summary>
    public static async Task PrepareCatalogAsync(this IServiceProvider services, bool forceMigrate = false)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("PaperFeed.Catalog");

        if (forceMigrate || db.Database.IsSqlite() || options.MigrateOnStartup)
        {
            if (db.Database.IsSqlite())
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            // Migrate takes EF's migration lock even with nothing to apply; on SQLite the lock is a row that a process killed
            // while holding it leaves behind, and every later start then waits forever. Take it only when there is work.
            if ((await db.Database.GetPendingMigrationsAsync()).Any())
                await db.Database.MigrateAsync();
            logger.LogInformation("Catalog schema is up to date ({Provider})", db.Database.ProviderName);
        }
        else
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                logger.LogCritical("The catalog schema is behind by {Count} migrations ({First}…). Run the 'migrate' command or set Database__MigrateOnStartup=true.", pending.Count, pending[0]);
                throw new InvalidOperationException($"The catalog schema is behind by {pending.Count} migrations: run 'migrate' or set Database__MigrateOnStartup=true.");
            }
        }
        await Sources.SourceSeeder.SeedAsync(scope.ServiceProvider);
        // Topics new to this catalog apply to the papers it already holds once the retag job has run.
        if (await Topics.TopicSeeder.SeedAsync(scope.ServiceProvider) > 0 && await db.Papers.AnyAsync())
        {
            if (scope.ServiceProvider.GetService<IBackgroundJobClient>() is { } jobs)
                jobs.Enqueue<Topics.RetagJob>(job => job.RunAsync(CancellationToken.None));
            else
                logger.LogWarning("New topics were added; existing papers get them when the site's retag job runs");
        }
    }
}

/// <summary>Design-time factories so `dotnet ef` builds each migration set without starting the app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCatalogDbContext>
{
    public SqliteCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCatalogDbContext>
{
    public PostgresCatalogDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
