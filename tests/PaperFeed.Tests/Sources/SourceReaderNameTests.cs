using PaperFeed.Sources;

namespace PaperFeed.Tests.Sources;

public sealed class SourceReaderNameTests
{
    [Theory]
    [InlineData(ImportFormat.ArxivAtom, "arXiv, imported file")]
    [InlineData(ImportFormat.ArxivJsonLines, "arXiv, imported file")]
    [InlineData(ImportFormat.HfJson, "Hugging Face, imported file")]
    [InlineData(ImportFormat.Feed, "a feed, imported file")]
    [InlineData(ImportFormat.HfCopiedText, "Hugging Face papers page, copied as text")]
    public void An_imported_files_source_is_named_by_where_its_papers_came_from(ImportFormat format, string shown) =>
        Assert.Equal(shown, Source.ReaderName(Source.ImportPrefix + ImportFormats.Describe(format), SourceKind.Import));

    [Fact]
    public void The_enrichment_source_is_the_arxiv_api() =>
        Assert.Equal("arXiv API", Source.ReaderName(EnrichPapersJob.SourceName, SourceKind.ArxivApi));

    [Fact]
    public void A_configured_source_keeps_its_own_name() =>
        Assert.Equal("Imported: my lab's list", Source.ReaderName("Imported: my lab's list", SourceKind.Feed));
}
