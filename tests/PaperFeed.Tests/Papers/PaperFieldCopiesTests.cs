using System.Reflection;
using Microsoft.EntityFrameworkCore;
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

    private static readonly PaperRecord Base = new() { ArxivId = "2501.00001", Title = "A base title" };

    public static TheoryData<string> RecordFields() =>
        new(typeof(PaperRecord).GetProperties().Select(p => p.Name).Where(n => !NotPaperFields.Contains(n) && n != "EqualityContract").Order());

    [Theory(Skip = "unfinished (issue 12): 5 fields fail as written (ArxivId, ProjectPage, Upvotes, …): sample values must respect the merge rules before this can guard them")]
    [MemberData(nameof(RecordFields))]
    public void Every_record_field_is_merged_fingerprinted_and_read_back(string field)
    {
        var property = typeof(PaperRecord).GetProperty(field)!;
        var changed = (PaperRecord)typeof(PaperRecord).GetMethod("<Clone>$")!.Invoke(Base, null)!;
        var value = SampleFor(property.PropertyType, property.GetValue(Base));
        property.SetValue(changed, value);
        var now = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc);

        var paper = PaperMerge.FromRecord(Base, "arxiv:2501.00001", now);
        var before = PaperMerge.Fingerprint(paper);
        Assert.True(PaperMerge.Apply(paper, changed), $"PaperMerge.Apply ignores {field}");
        Assert.NotEqual(before, PaperMerge.Fingerprint(paper));
        Assert.Equal(Normalize(value), Normalize(property.GetValue(PaperMerge.ToRecord(paper))));
    }

    [Fact]
    public void Every_mapped_paper_column_is_copied_by_the_bulk_writer()
    {
        using var db = new SqliteCatalogDbContext(new DbContextOptionsBuilder<SqliteCatalogDbContext>().UseSqlite("Data Source=:memory:").Options);
        var mapped = db.Model.FindEntityType(typeof(Paper))!.GetProperties().Where(p => !p.IsShadowProperty()).Select(p => p.GetColumnName()).Order().ToList();
        Assert.Equal(mapped, CatalogBulkWriter.PaperColumns.Select(c => c.Name).Order().ToList());
    }

    private static object SampleFor(Type type, object? current) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a changed value " + current,
        var t when t == typeof(int) => 7,
        var t when t == typeof(DateTime) => new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc),
        var t when t == typeof(IReadOnlyList<string>) => (IReadOnlyList<string>)["Ada Lovelace", "cs.LG"],
        var t when t == typeof(bool) => true,
        var t => throw new NotSupportedException($"no sample value for {t} (add one above)"),
    };

    private static object? Normalize(object? value) => value is IEnumerable<string> list && value is not string ? string.Join("|", list) : value;
}
