using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using PaperFeed.Data;

namespace PaperFeed.Tests.Data;

/// <summary>
/// The catalog starts from compiled models (Data/CompiledModels, ~1 s less per process start). A compiled model that misses a
/// change of CatalogDbContext would silently drop a column or an index at run time; this test fails instead, and says how to fix it.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Regenerate = "the compiled model is out of date: run src/PaperFeed/Data/model-changed.sh (with a migration name if the schema changed)";

    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_compiled_model_is_the_model_the_code_builds(string provider)
    {
        using CatalogDbContext db = provider == "Sqlite"
            ? new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=unused.db").Options)
            : new PostgresCatalogDbContext(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql("Host=unused").Options);

        var compiled = db.Model;
        var built = db.GetService<IDesignTimeModel>().Model;
        Assert.Contains(".CompiledModels.", compiled.GetType().FullName, StringComparison.Ordinal);

        var (want, have) = (Shape(built), Shape(compiled));
        Assert.True(want.SequenceEqual(have), $"{Regenerate}; first difference: {want.Except(have).Concat(have.Except(want)).FirstOrDefault()}");
    }

    // Entity types and tables, their properties (CLR and store type, column, converter, nullability, length, concurrency),
    // keys, indexes and foreign keys: what reads and writes depend on. (The migrations differ cannot read a compiled model.)
    private static List<string> Shape(IModel model) =>
        model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e =>
            e.GetProperties().Select(p => $"{e.Name} [{e.GetTableName()}].{p.Name}: {p.ClrType.Name} [{p.GetColumnName()} {p.GetRelationalTypeMapping().StoreType}] {p.GetTypeMapping().Converter?.GetType().Name} {(p.IsNullable ? "null" : "not null")} {p.GetMaxLength()} {p.IsConcurrencyToken} {p.ValueGenerated}")
            .Concat(e.GetKeys().Select(k => $"{e.Name} key {string.Join(',', k.Properties.Select(p => p.Name))}"))
            .Concat(e.GetIndexes().Select(i => $"{e.Name} index {i.GetDatabaseName()} {string.Join(',', i.Properties.Select(p => p.Name))} {i.IsUnique} {i.GetFilter()}"))
            .Concat(e.GetForeignKeys().Select(f => $"{e.Name} fk {string.Join(',', f.Properties.Select(p => p.Name))} -> {f.PrincipalEntityType.Name} {f.DeleteBehavior}"))
            .OrderBy(s => s, StringComparer.Ordinal)).ToList();
}
