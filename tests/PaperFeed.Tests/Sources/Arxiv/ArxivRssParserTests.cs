using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Tests.Sources.Arxiv;

public class ArxivRssParserTests
{
    private static ParseResult Monday() => ArxivRssParser.Parse(Fixture.Read("arxiv-rss-cs-LG-2026-05-04-four-announce-types-affiliations.xml"));

    private static PaperRecord Item(string id) => Assert.Single(Monday().Papers, p => p.ArxivId == id);

    [Fact]
    public void Reads_every_item_with_id_and_version_from_the_guid()
    {
        var papers = Monday().Papers;

        Assert.Equal(["2605.03001", "2605.03002", "2604.09999", "2603.07777"], papers.Select(p => p.ArxivId));
        Assert.Equal([1, 1, 4, 2], papers.Select(p => p.Version));
        Assert.All(papers, p => Assert.True(p.FromArxiv));
    }

    [Fact]
    public void An_item_without_a_guid_takes_id_and_version_from_the_description_prefix()
    {
        var paper = Item("2603.07777");

        Assert.Equal(2, paper.Version);
    }

    [Fact]
    public void All_four_announce_types_are_kept()
    {
        Assert.Equal(["new", "cross", "replace", "replace-cross"], Monday().Papers.Select(p => p.AnnounceType));
    }

    [Fact]
    public void Abstract_is_the_description_after_the_abstract_marker()
    {
        Assert.Equal("We schedule dropout by curriculum. The schedule helps small models.", Item("2605.03001").Abstract);
        Assert.Equal("Probing vision transformers causally.", Item("2603.07777").Abstract);
    }

    [Fact]
    public void Title_whitespace_is_normalised()
    {
        Assert.Equal("Causal Probes in Vision Transformers", Item("2603.07777").Title);
    }

    [Fact]
    public void Authors_lose_affiliations_even_ones_with_commas_and_nested_parentheses()
    {
        Assert.Equal(["A. Smith", "B. Jones", "Chen Wei", "D. O'Neil"], Item("2605.03001").Authors);
        Assert.Equal(["Mei Tanaka"], Item("2603.07777").Authors);
    }

    [Fact]
    public void Authors_split_on_and_before_the_last_one_with_or_without_a_serial_comma()
    {
        Assert.Equal(["Hana Kobayashi", "Omar Farouk", "Ruth Mbeki"], Item("2605.03002").Authors);
        Assert.Equal(["Sven Lindqvist"], Item("2604.09999").Authors);
    }

    [Theory]
    [InlineData("A. Smith (MIT, Cambridge), B. Jones", new[] { "A. Smith", "B. Jones" })]
    [InlineData("Ann Anderson and Randall Sandler", new[] { "Ann Anderson", "Randall Sandler" })]
    [InlineData("X. Li (Dept. (A, B)), Y. Wu (Lab", new[] { "X. Li", "Y. Wu" })]
    [InlineData("  ", new string[0])]
    public void SplitAuthors_handles_affiliations_and_conjunctions(string creators, string[] expected)
    {
        Assert.Equal(expected, ArxivRssParser.SplitAuthors(creators));
    }

    [Fact]
    public void Categories_are_all_category_elements_and_the_first_is_primary()
    {
        var cross = Item("2605.03002");

        Assert.Equal(["q-bio.BM", "cs.LG"], cross.Categories);
        Assert.Equal("q-bio.BM", cross.PrimaryCategory);
    }

    [Fact]
    public void Doi_and_journal_reference_are_read_when_present()
    {
        var replaced = Item("2604.09999");

        Assert.Equal("10.5555/warmup.2026.9", replaced.Doi);
        Assert.Equal("Made-Up Transactions on Learning 12 (2026) 1-20", replaced.JournalRef);
        Assert.Null(Item("2605.03001").Doi);
        Assert.Null(Item("2605.03001").JournalRef);
    }

    [Fact]
    public void List_day_and_feed_day_are_the_new_york_announcement_date()
    {
        var result = Monday();

        Assert.Equal(new DateOnly(2026, 5, 4), result.Day);
        Assert.All(result.Papers, p => Assert.Equal(new DateOnly(2026, 5, 4), p.ListDay));
    }

    [Fact]
    public void A_pubDate_given_in_utc_still_gives_the_new_york_date()
    {
        // 03:30 UTC on 5 May is 23:30 on 4 May in New York.
        const string xml = """
            <rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom">
              <channel><title>t</title><lastBuildDate>Tue, 05 May 2026 03:30:00 +0000</lastBuildDate>
                <item><title>Late</title><guid>oai:arXiv.org:2605.05555v1</guid><pubDate>Tue, 05 May 2026 03:30:00 GMT</pubDate></item>
              </channel>
            </rss>
            """;

        var result = ArxivRssParser.Parse(xml);

        Assert.Equal(new DateOnly(2026, 5, 4), result.Day);
        Assert.Equal(new DateOnly(2026, 5, 4), Assert.Single(result.Papers).ListDay);
    }

    [Fact]
    public void An_empty_weekend_feed_is_a_valid_empty_result_with_its_day()
    {
        var result = ArxivRssParser.Parse(Fixture.Read("arxiv-rss-cs-CL-2026-05-02-saturday-empty.xml"));

        Assert.Empty(result.Papers);
        Assert.Equal(new DateOnly(2026, 5, 2), result.Day);
    }

    [Fact]
    public void The_atom_variant_reads_the_same_fields()
    {
        var result = ArxivRssParser.Parse(Fixture.Read("arxiv-rss-atom-variant-cs-LG-two-entries.xml"));
        var first = result.Papers[0];
        var second = result.Papers[1];

        Assert.Equal(new DateOnly(2026, 5, 4), result.Day);
        Assert.Equal(("2605.03001", 1, "new"), (first.ArxivId, first.Version, first.AnnounceType));
        Assert.Equal("We schedule dropout by curriculum.", first.Abstract);
        Assert.Equal(["A. Smith", "B. Jones"], first.Authors);
        Assert.Equal(["cs.LG", "cs.CL"], first.Categories);
        Assert.Equal(new DateOnly(2026, 5, 4), first.ListDay);
        Assert.Equal(("2604.09999", 4, "replace"), (second.ArxivId, second.Version, second.AnnounceType));
        Assert.Equal(["Sven Lindqvist", "Ana Costa"], second.Authors);
        Assert.True(first.FromArxiv);
    }

    [Fact]
    public void An_export_api_response_is_refused()
    {
        var ex = Assert.Throws<SourceFormatException>(() => ArxivRssParser.Parse(Fixture.Read("arxiv-api-atom-current-three-entries-all-fields.xml")));

        Assert.Contains("export API", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_without_any_arxiv_id_throws()
    {
        const string xml = """<rss version="2.0"><channel><item><title>Blog post</title><link>https://blog.example.com/p/1</link></item></channel></rss>""";

        Assert.Throws<SourceFormatException>(() => ArxivRssParser.Parse(xml));
    }

    [Theory]
    [InlineData("<rss><channel><item></channel></rss>")]
    [InlineData("<html><body>Service unavailable</body></html>")]
    [InlineData("<rss version=\"2.0\"></rss>")]
    public void Broken_or_foreign_documents_throw(string xml)
    {
        Assert.Throws<SourceFormatException>(() => ArxivRssParser.Parse(xml));
    }
}
