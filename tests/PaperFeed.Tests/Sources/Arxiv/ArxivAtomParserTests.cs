using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Tests.Sources.Arxiv;

public class ArxivAtomParserTests
{
    private static ParseResult Current() => ArxivAtomParser.Parse(Fixture.Read("arxiv-api-atom-current-three-entries-all-fields.xml"));
    private static ParseResult Legacy() => ArxivAtomParser.Parse(Fixture.Read("arxiv-api-atom-legacy-inline-namespaces-hard-wrapped.xml"));

    private static PaperRecord CurrentPaper(string id) => Assert.Single(Current().Papers, p => p.ArxivId == id);

    [Fact]
    public void Reads_every_entry_in_order_with_unversioned_id_and_version()
    {
        var papers = Current().Papers;

        Assert.Equal(["2605.01111", "2605.02222", "hep-th/0101001"], papers.Select(p => p.ArxivId));
        Assert.Equal([3, 1, 2], papers.Select(p => p.Version));
    }

    [Fact]
    public void Records_are_arxiv_records_without_a_list_day()
    {
        Assert.All(Current().Papers.Concat(Legacy().Papers), p =>
        {
            Assert.True(p.FromArxiv);
            Assert.Null(p.ListDay);
        });
    }

    [Fact]
    public void Total_results_come_from_opensearch_in_both_formats()
    {
        Assert.Equal(1234, Current().TotalResults);
        Assert.Equal(987, Legacy().TotalResults);
    }

    [Fact]
    public void Title_abstract_and_authors_are_read()
    {
        var paper = CurrentPaper("2605.01111");

        Assert.Equal("Sparse Gradient Sketches for Federated Fine-Tuning", paper.Title);
        Assert.Equal("We sketch sparse gradients so that clients send 40x less data (<1 MB per round) with no loss in accuracy.", paper.Abstract);
        Assert.Equal(["Noor Haddad", "Piotr Zieliński"], paper.Authors);
    }

    [Fact]
    public void PublishedAt_is_the_v1_date_in_utc_not_the_updated_date()
    {
        var published = CurrentPaper("2605.01111").PublishedAt;

        Assert.Equal(new DateTime(2026, 5, 1, 17, 45, 10, DateTimeKind.Utc), published);
        Assert.Equal(DateTimeKind.Utc, published!.Value.Kind);
    }

    [Fact]
    public void Primary_category_comes_first_even_when_listed_second()
    {
        var paper = CurrentPaper("2605.01111");

        Assert.Equal("stat.ML", paper.PrimaryCategory);
        Assert.Equal(["stat.ML", "cs.LG", "cs.DC"], paper.Categories);
    }

    [Fact]
    public void Comment_journal_ref_and_doi_are_read_and_missing_ones_stay_null()
    {
        var full = CurrentPaper("2605.01111");
        var bare = CurrentPaper("2605.02222");

        Assert.Equal("12 pages, 4 figures; v3: camera-ready", full.Comments);
        Assert.Equal("Journal of Made-Up Learning 7 (2026) 101-113", full.JournalRef);
        Assert.Equal("10.5555/sgs.2026.017", full.Doi);
        Assert.Null(bare.Comments);
        Assert.Null(bare.JournalRef);
        Assert.Null(bare.Doi);
    }

    [Fact]
    public void Legacy_format_with_inline_namespaces_and_hard_wraps_reads_the_same_fields()
    {
        var paper = Legacy().Papers[0];

        Assert.Equal(2, Legacy().Papers.Count);
        Assert.Equal("2510.05555", paper.ArxivId);
        Assert.Equal(2, paper.Version);
        Assert.Equal("Legged Robots That Learn to Climb Stairs from a Handful of Demonstrations", paper.Title);
        Assert.Equal("We teach a quadruped to climb stairs from five demonstrations. The policy transfers to real stairs without fine-tuning.", paper.Abstract);
        Assert.Equal("8 pages; accepted at a made-up workshop (2025)", paper.Comments);
        Assert.Equal("Made-Up Robotics Letters 3 (2025) 45-52", paper.JournalRef);
        Assert.Equal("10.5555/murl.2025.0045", paper.Doi);
        Assert.Equal("cs.RO", paper.PrimaryCategory);
        Assert.Equal(["cs.RO", "cs.LG"], paper.Categories);
        Assert.Equal(new DateTime(2025, 10, 2, 8, 15, 0, DateTimeKind.Utc), paper.PublishedAt);
    }

    [Fact]
    public void Elements_are_found_by_namespace_uri_whatever_the_prefix()
    {
        const string xml = """
            <a:feed xmlns:a="http://www.w3.org/2005/Atom" xmlns:os="http://a9.com/-/spec/opensearch/1.1/" xmlns:x="http://arxiv.org/schemas/atom">
              <os:totalResults>7</os:totalResults>
              <a:entry>
                <a:id>http://arxiv.org/abs/2605.07777v1</a:id>
                <a:title>Prefixes Do Not Matter</a:title>
                <a:published>2026-05-02T00:00:00Z</a:published>
                <x:primary_category term="cs.CL"/>
                <x:comment>3 pages</x:comment>
                <a:author><a:name>Rui Costa</a:name></a:author>
              </a:entry>
            </a:feed>
            """;

        var result = ArxivAtomParser.Parse(xml);
        var paper = Assert.Single(result.Papers);

        Assert.Equal(7, result.TotalResults);
        Assert.Equal("Prefixes Do Not Matter", paper.Title);
        Assert.Equal("cs.CL", paper.PrimaryCategory);
        Assert.Equal("3 pages", paper.Comments);
        Assert.Equal(["Rui Costa"], paper.Authors);
    }

    [Fact]
    public void An_element_with_the_right_name_in_another_namespace_is_not_read()
    {
        const string xml = """
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://example.com/not-arxiv">
              <entry>
                <id>http://arxiv.org/abs/2605.07778v1</id>
                <title>Wrong Namespace</title>
                <arxiv:comment>not an arXiv comment</arxiv:comment>
              </entry>
            </feed>
            """;

        Assert.Null(Assert.Single(ArxivAtomParser.Parse(xml).Papers).Comments);
    }

    [Fact]
    public void A_feed_with_no_entries_is_an_empty_result_with_its_total()
    {
        const string xml = """<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"><opensearch:totalResults>0</opensearch:totalResults></feed>""";

        var result = ArxivAtomParser.Parse(xml);

        Assert.Empty(result.Papers);
        Assert.Equal(0, result.TotalResults);
    }

    [Fact]
    public void The_api_error_feed_throws_with_arxivs_message()
    {
        var ex = Assert.Throws<SourceFormatException>(() => ArxivAtomParser.Parse(Fixture.Read("arxiv-api-atom-error-incorrect-id-format.xml")));

        Assert.Contains("incorrect id format for 1234", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_rss_feed_is_not_an_api_response()
    {
        var ex = Assert.Throws<SourceFormatException>(() => ArxivAtomParser.Parse(Fixture.Read("arxiv-rss-cs-LG-2026-05-04-four-announce-types-affiliations.xml")));

        Assert.Contains("not an Atom feed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>")]
    [InlineData("")]
    [InlineData("{\"feed\": []}")]
    public void Malformed_xml_throws_a_source_format_exception(string xml)
    {
        Assert.Throws<SourceFormatException>(() => ArxivAtomParser.Parse(xml));
    }

    [Fact]
    public void A_dtd_is_refused()
    {
        const string xml = """<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x "boom">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>""";

        Assert.Throws<SourceFormatException>(() => ArxivAtomParser.Parse(xml));
    }

    [Fact]
    public void An_entry_whose_id_is_no_arxiv_id_throws()
    {
        const string xml = """<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:example.com,2026:1</id><title>Blog post</title></entry></feed>""";

        Assert.Throws<SourceFormatException>(() => ArxivAtomParser.Parse(xml));
    }
}
