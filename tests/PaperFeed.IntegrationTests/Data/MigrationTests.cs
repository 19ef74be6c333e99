using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Data;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_migration_applies_and_the_model_has_no_pending_changes(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await app.WithDbAsync(async db =>
        {
            Assert.Equal(provider == DatabaseProvider.Sqlite ? typeof(SqliteCatalogDbContext) : typeof(PostgresCatalogDbContext), db.GetType());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.False(db.Database.HasPendingModelChanges(), "the model has changes that no migration captures: add a migration to both sets");
            // The seeded default source exists once.
            Assert.Equal(1, await db.Sources.CountAsync(s => s.Name == "Hugging Face Daily Papers"));
            return 0;
        });
    }

    [Fact]
    public async Task Postgres_refuses_to_start_on_a_schema_that_is_behind_unless_told_to_migrate()
    {
        await using var app = new PaperFeedApp(await TestDatabase.CreateAsync(DatabaseProvider.Postgres),
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" });
        var error = Assert.Throws<InvalidOperationException>(() => app.Server);
        Assert.Contains("migrate", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
