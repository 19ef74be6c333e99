using System.Text.Json;
using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Tests.Sources.Arxiv;

/// <summary>The entry-by-entry reader `import` uses for large files gives exactly what the whole-document parser gives.</summary>
public class ArxivAtomStreamingTests
{
    [Theory]
    [InlineData("arxiv-api-atom-current-three-entries-all-fields.xml")]
    [InlineData("arxiv-api-atom-legacy-inline-namespaces-hard-wrapped.xml")]
    public void Streaming_reads_the_same_records_as_parsing_the_whole_file(string name)
    {
        var xml = Fixture.Read(name);

        var whole = ArxivAtomParser.Parse(xml).Papers.Select(p => JsonSerializer.Serialize(p));
        var streamed = ArxivAtomParser.ReadEntries(new StringReader(xml)).Select(p => JsonSerializer.Serialize(p));

        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void An_api_error_entry_fails_as_when_parsing_whole()
    {
        var xml = Fixture.Read("arxiv-api-atom-error-incorrect-id-format.xml");

        var ex = Assert.Throws<SourceFormatException>(() => ArxivAtomParser.ReadEntries(new StringReader(xml)).ToList());
        Assert.StartsWith("arXiv API error", ex.Message);
    }

    [Fact]
    public void A_cut_off_file_fails_with_a_format_error_after_the_complete_entries()
    {
        var xml = Fixture.Read("arxiv-api-atom-current-three-entries-all-fields.xml");
        var cut = xml[..(xml.LastIndexOf("<entry>", StringComparison.Ordinal) + 40)];

        var read = new List<PaperRecord>();
        var ex = Assert.Throws<SourceFormatException>(() => { foreach (var p in ArxivAtomParser.ReadEntries(new StringReader(cut))) read.Add(p); });

        Assert.Contains("malformed XML", ex.Message);
        Assert.Equal(2, read.Count);
    }
}
