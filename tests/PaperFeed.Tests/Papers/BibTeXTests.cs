using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public sealed class BibTeXTests
{
    private static Paper Sample() => new()
    {
        Key = "2401.12345", ArxivId = "2401.12345", Title = "Scaling 100% of $k$-NN & #tags_with {braces}",
        NormalizedTitle = "x", Authors = ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
        PublishedAt = new DateTime(2024, 1, 22, 0, 0, 0, DateTimeKind.Utc), PrimaryCategory = "cs.CL",
    };

    [Fact]
    public void Formats_an_arxiv_misc_entry()
    {
        Assert.Equal("""
            @misc{lovelace2024scaling,
              title = {Scaling 100\% of $k$-NN \& \#tags\_with \{braces\}},
              author = {Ada Lovelace and Alan Turing and Grace Hopper},
              year = {2024},
              eprint = {2401.12345},
              archivePrefix = {arXiv},
              primaryClass = {cs.CL},
              url = {https://arxiv.org/abs/2401.12345}
            }
            """.ReplaceLineEndings("\n"), BibTeX.Format(Sample()));
    }

    [Theory]
    [InlineData(@"a\b", @"a\textbackslash{}b")]
    [InlineData("{x}", @"\{x\}")]
    [InlineData("R&D 5% $1 #2 a_b", @"R\&D 5\% \$1 \#2 a\_b")]
    [InlineData("x^2 ~y", @"x\^{}2 \~{}y")]
    [InlineData("Plain title", "Plain title")]
    public void Escapes_latex_specials(string text, string escaped) => Assert.Equal(escaped, BibTeX.Escape(text));

    [Fact]
    public void Leaves_out_what_is_unknown()
    {
        var paper = new Paper { Key = "doi:10.1/x", Title = "On things", NormalizedTitle = "on things", Doi = "10.1/x" };
        var entry = BibTeX.Format(paper);
        Assert.DoesNotContain("eprint", entry);
        Assert.DoesNotContain("author", entry);
        Assert.Contains("url = {https://doi.org/10.1/x}", entry);
        Assert.StartsWith("@misc{thing", entry);
    }

    [Fact]
    public void Key_folds_accents_and_skips_short_words()
    {
        var paper = Sample();
        paper.Authors = ["Kurt Gödel"];
        paper.Title = "On the Incompleteness of Systems";
        Assert.Equal("godel2024incompleteness", BibTeX.Key(paper));
    }

    [Fact]
    public void Plain_citation_names_authors_title_id_and_year()
    {
        Assert.Equal("Ada Lovelace, Alan Turing and Grace Hopper. Scaling 100% of $k$-NN & #tags_with {braces}. arXiv:2401.12345 [cs.CL], 2024.",
            BibTeX.PlainCitation(Sample()));
    }
}
