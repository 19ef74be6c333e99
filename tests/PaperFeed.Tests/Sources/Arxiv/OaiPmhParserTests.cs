using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Tests.Sources.Arxiv;

public class OaiPmhParserTests
{
    private static ParseResult Page() => OaiPmhParser.Parse(Fixture.Read("oai-pmh-listrecords-arxiv-page-with-token-and-deleted.xml"));

    [Fact]
    public void Deleted_records_are_skipped()
    {
        Assert.Equal(["2605.01111", "math/0601001"], Page().Papers.Select(p => p.ArxivId));
    }

    [Fact]
    public void Resumption_token_and_list_size_are_read()
    {
        var page = Page();

        Assert.Equal("6960524|1001", page.ResumptionToken);
        Assert.Equal(2503, page.TotalResults);
    }

    [Fact]
    public void An_empty_resumption_token_marks_the_last_page()
    {
        var page = OaiPmhParser.Parse(Fixture.Read("oai-pmh-listrecords-arxiv-last-page-empty-token.xml"));

        Assert.Null(page.ResumptionToken);
        Assert.Equal("The Last Record", Assert.Single(page.Papers).Title);
    }

    [Fact]
    public void A_page_without_a_resumption_token_is_the_last_page()
    {
        const string xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
              <record><header><identifier>oai:arXiv.org:2605.00001</identifier></header>
                <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2605.00001</id><title>Only</title></arXiv></metadata></record>
            </ListRecords></OAI-PMH>
            """;

        Assert.Null(OaiPmhParser.Parse(xml).ResumptionToken);
    }

    [Fact]
    public void Every_metadata_field_is_read()
    {
        var paper = Page().Papers[0];

        Assert.Null(paper.Version);
        Assert.Equal("Sparse Gradient Sketches for Federated Fine-Tuning", paper.Title);
        Assert.Equal("We sketch sparse gradients so that clients send less data.", paper.Abstract);
        Assert.Equal(new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(DateTimeKind.Utc, paper.PublishedAt!.Value.Kind);
        Assert.Equal(["stat.ML", "cs.LG", "cs.DC"], paper.Categories);
        Assert.Equal("stat.ML", paper.PrimaryCategory);
        Assert.Equal("12 pages, 4 figures", paper.Comments);
        Assert.Equal("Journal of Made-Up Learning 7 (2026) 101-113", paper.JournalRef);
        Assert.Equal("10.5555/sgs.2026.017", paper.Doi);
        Assert.Null(paper.ListDay);
        Assert.True(paper.FromArxiv);
    }

    [Fact]
    public void Author_names_are_forenames_then_keyname_with_suffix_and_collaborations_alone()
    {
        Assert.Equal(["Noor Haddad", "Piotr Zieliński", "Martin L. King Jr", "The Made-Up Collaboration"], Page().Papers[0].Authors);
    }

    [Fact]
    public void Old_style_ids_and_missing_optional_fields()
    {
        var paper = Page().Papers[1];

        Assert.Equal("math/0601001", paper.ArxivId);
        Assert.Equal(["math.GT"], paper.Categories);
        Assert.Null(paper.Comments);
        Assert.Null(paper.JournalRef);
        Assert.Null(paper.Doi);
    }

    [Fact]
    public void No_records_match_is_an_empty_result()
    {
        const string xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
              <responseDate>2026-05-06T10:00:00Z</responseDate>
              <request verb="ListRecords" metadataPrefix="arXiv" from="2030-01-01">http://export.arxiv.org/oai2</request>
              <error code="noRecordsMatch">The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.</error>
            </OAI-PMH>
            """;

        var result = OaiPmhParser.Parse(xml);

        Assert.Empty(result.Papers);
        Assert.Null(result.ResumptionToken);
    }

    [Fact]
    public void Any_other_oai_error_throws_with_its_code_and_text()
    {
        const string xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
              <error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error>
            </OAI-PMH>
            """;

        var ex = Assert.Throws<SourceFormatException>(() => OaiPmhParser.Parse(xml));

        Assert.Contains("badResumptionToken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid or expired", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_in_another_metadata_format_throw()
    {
        const string xml = """
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
              <record><header><identifier>oai:arXiv.org:2605.00001</identifier></header>
                <metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"/></metadata></record>
            </ListRecords></OAI-PMH>
            """;

        var ex = Assert.Throws<SourceFormatException>(() => OaiPmhParser.Parse(xml));

        Assert.Contains("metadataPrefix=arXiv", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>")]
    [InlineData("<OAI-PMH><ListRecords/></OAI-PMH>")]
    [InlineData("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><Identify/></OAI-PMH>")]
    public void Malformed_or_unexpected_documents_throw(string xml)
    {
        Assert.Throws<SourceFormatException>(() => OaiPmhParser.Parse(xml));
    }
}
