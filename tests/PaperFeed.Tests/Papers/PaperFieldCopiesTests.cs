using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.Tests.Papers;

/// <summary>
/// A paper's fields are written out in several places (PaperRecord, PaperMerge.Apply/Fingerprint/ToRecord, the COPY
/// columns). A field left out of one of them fails silently (never updated again, or stored as NULL): these fail loudly.
/// </summary>
public class PaperFieldCopiesTests
{
    /// <summary>Record fields that describe the listing or the record's origin, not the stored paper.</summary>
    private static readonly string[] NotPaperFields = ["ListDay", "Link", "AnnounceType", "FromArxiv"];

    // No arXiv id on the base: Apply only ever adds an id to a paper that has none (the key is passed apart).
    private static readonly PaperRecord Base = new() { Title = "A base title" };

    /// <summary>
    /// Paper.Upvotes is not nullable (0 = "HF has not said"), so ToRecord leaves it out: merging a title-only copy
    /// would otherwise overwrite a real count with 0. Apply and the fingerprint still cover it.
    /// </summary>
    private static readonly string[] NotReadBack = ["Upvotes"];

    public static TheoryData<string> RecordFields() =>
        new(typeof(PaperRecord).GetProperties().Select(p => p.Name).Where(n => !NotPaperFields.Contains(n) && n != "EqualityContract").Order());

    [Theory]
    [MemberData(nameof(RecordFields))]
    public void Every_record_field_is_merged_fingerprinted_and_read_back(string field)
    {
        var property = typeof(PaperRecord).GetProperty(field)!;
        var changed = (PaperRecord)typeof(PaperRecord).GetMethod("<Clone>$")!.Invoke(Base, null)!;
        var value = SampleFor(field, property.PropertyType, property.GetValue(Base));
        property.SetValue(changed, value);
        var now = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc);

        var paper = PaperMerge.FromRecord(Base, "arxiv:2501.00001", now);
        var before = PaperMerge.Fingerprint(paper);
        Assert.True(PaperMerge.Apply(paper, changed), $"PaperMerge.Apply ignores {field}");
        Assert.NotEqual(before, PaperMerge.Fingerprint(paper));
        if (!NotReadBack.Contains(field))
            Assert.Equal(Normalize(value), Normalize(property.GetValue(PaperMerge.ToRecord(paper))));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void Every_mapped_paper_column_is_copied_by_the_bulk_writer(string provider)
    {
        using CatalogDbContext db = provider == "Sqlite"
            ? new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=:memory:").Options)
            : new PostgresCatalogDbContext(new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql("Host=unused").Options);
        // The model the code builds, not the compiled one the writer reads: a property added to Paper shows here first.
        var built = db.GetService<IDesignTimeModel>().Model;
        var mapped = built.FindEntityType(typeof(Paper))!.GetProperties().Where(p => !p.IsShadowProperty())
            .Select(p => $"{p.GetColumnName()} {p.GetRelationalTypeMapping().StoreTypeNameBase}").Order().ToList();
        Assert.Equal(mapped, CatalogBulkWriter.PaperColumns(db.Database.GetDbConnection()).Select(c => $"{c.Name} {c.StoreType}").Order().ToList());
    }

    // Links are kept only when they are web addresses (TextNormalizer.WebUrl), so their sample is one.
    private static object SampleFor(string field, Type type, object? current) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) && field is "GithubRepo" or "ProjectPage" or "Thumbnail" => "https://example.org/" + field,
        var t when t == typeof(string) => "a changed value " + current,
        var t when t == typeof(int) => 7,
        var t when t == typeof(DateTime) => new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc),
        var t when t == typeof(IReadOnlyList<string>) => (IReadOnlyList<string>)["Ada Lovelace", "cs.LG"],
        var t when t == typeof(bool) => true,
        var t => throw new NotSupportedException($"no sample value for {t} (add one above)"),
    };

    private static object? Normalize(object? value) => value is IEnumerable<string> list && value is not string ? string.Join("|", list) : value;
}
