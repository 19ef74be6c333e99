using System.IO.Compression;
using PaperFeed.Sources;

namespace PaperFeed.Tests.Sources;

/// <summary>The files `import` reads entry by entry: the arXiv corpus (gzipped or not), the metadata snapshot, API Atom.</summary>
public class ImportStreamingTests
{
    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void Gzipped_corpus_is_detected_by_content_and_lists_each_paper_on_its_day()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.bin"); // no .gz: content decides
        try
        {
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                gz.Write(File.ReadAllBytes(FixturePath("arxiv-corpus-daily-three-lines.jsonl")));

            Assert.Equal(ImportFormat.ArxivJsonLines, ImportFormats.StreamableFormat(path));
            var papers = ImportFormats.ReadStreamed(path).ToList();

            Assert.Equal(["2503.11731", "2503.11732", "2503.20001"], papers.Select(p => p.ArxivId));
            var first = papers[0];
            Assert.Equal("Sparse Attention for Long Video Understanding", first.Title);
            Assert.Equal(new DateOnly(2025, 3, 18), first.ListDay);
            Assert.Equal(["Ada Lovelace", "Alan Turing"], first.Authors!);
            Assert.Equal("cs.CV", first.PrimaryCategory);
            Assert.Equal("12 pages", first.Comments);
            Assert.Equal("We study sparse attention for long videos.", first.Abstract);
            Assert.Null(papers[2].Authors);
            Assert.Equal(new DateOnly(2025, 3, 19), papers[2].ListDay);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Metadata_snapshot_lists_each_paper_on_its_first_versions_day()
    {
        var path = FixturePath("arxiv-metadata-snapshot-two-lines.jsonl");

        Assert.Equal(ImportFormat.ArxivJsonLines, ImportFormats.StreamableFormat(path));
        var papers = ImportFormats.ReadStreamed(path).ToList();

        var old = papers[0];
        Assert.Equal("0704.0001", old.ArxivId);
        Assert.Equal(new DateOnly(2007, 4, 2), old.ListDay);
        Assert.Equal(new DateTime(2007, 4, 2, 19, 18, 42, DateTimeKind.Utc), old.PublishedAt);
        Assert.Equal(["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"], old.Authors!);
        Assert.Equal("10.1103/physrevd.76.013009", old.Doi); // DOIs are stored lower-cased, as every parser does
        Assert.Equal("Phys.Rev.D76:013009,2007", old.JournalRef);
        Assert.Equal("hep-ph", old.PrimaryCategory);
        Assert.Equal(2, old.Version);
        Assert.Equal(new DateOnly(2023, 12, 31), papers[1].ListDay);
        Assert.Equal(["cs.LG", "stat.ML"], papers[1].Categories!);
    }

    [Fact]
    public void Api_atom_imported_by_hand_lists_papers_on_their_first_versions_day()
    {
        var papers = ImportFormats.ReadStreamed(FixturePath("arxiv-api-atom-current-three-entries-all-fields.xml")).ToList();

        Assert.Equal(new DateOnly(2026, 5, 1), papers[0].ListDay);
        Assert.All(papers, p => Assert.Equal(DateOnly.FromDateTime(p.PublishedAt!.Value), p.ListDay));
    }

    [Fact]
    public void A_broken_line_names_its_line_number()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, File.ReadAllText(FixturePath("arxiv-corpus-daily-three-lines.jsonl")).Split('\n')[0] + "\n{\"id\": \"2503.1\n");
            var ex = Assert.Throws<SourceFormatException>(() => ImportFormats.ReadStreamed(path).ToList());
            Assert.StartsWith("line 2:", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
