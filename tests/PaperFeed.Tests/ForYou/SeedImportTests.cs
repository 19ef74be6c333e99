using PaperFeed.ForYou;

namespace PaperFeed.Tests.ForYou;

/// <summary>Seed papers out of real-shaped exports: Zotero's BibTeX and RIS, Better BibTeX's eprint fields, and pasted ids and links.</summary>
public sealed class SeedImportTests
{
    [Fact]
    public void Zotero_bibtex_gives_the_arxiv_ids_and_the_doi_of_a_journal_article()
    {
        var found = SeedImport.Parse(Fixture.Read("zotero-export-arxiv-and-journal.bib"));
        Assert.Equal(["1706.03762", "hep-th/9711200"], found.ArxivIds);
        // The NeurIPS entry has neither an arXiv id nor a DOI: counted, not found.
        Assert.Equal(["10.1038/nature14539"], found.Dois);
        Assert.Equal(4, found.Entries);
    }

    [Fact]
    public void Better_bibtex_eprint_fields_are_read()
    {
        var found = SeedImport.Parse(Fixture.Read("better-bibtex-export-eprint-fields.bib"));
        Assert.Equal(["1312.6114", "1512.03385"], found.ArxivIds);
        Assert.Empty(found.Dois);
    }

    [Fact]
    public void Zotero_ris_with_crlf_gives_ids_from_doi_url_and_pdf_links()
    {
        var found = SeedImport.Parse(Fixture.Read("zotero-export-two-preprints-one-article.ris"));
        Assert.Equal(["1706.03762", "2005.14165"], found.ArxivIds);
        Assert.Equal(["10.1038/nature14539"], found.Dois);
        Assert.Equal(3, found.Entries);
    }

    [Fact]
    public void Pasted_ids_and_links_one_per_line_or_comma_separated()
    {
        var found = SeedImport.Parse("2401.12345v2, https://arxiv.org/abs/2402.00001\nhttps://arxiv.org/pdf/2403.00002v1 arXiv:hep-th/9901001\nnot-an-id 2401.12345");
        Assert.Equal(["2401.12345", "2402.00001", "2403.00002", "hep-th/9901001"], found.ArxivIds);
        Assert.Empty(SeedImport.Parse("").ArxivIds);
    }
}
