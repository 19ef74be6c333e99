using PaperFeed.Sources;
using PaperFeed.Sources.Feeds;

namespace PaperFeed.Tests.Sources.Feeds;

public class FeedParserTests
{
    private static ParseResult Blog() => FeedParser.Parse(Fixture.Read("feed-lab-blog-rss-arxiv-linked-and-link-only-items.xml"));
    private static ParseResult Journal() => FeedParser.Parse(Fixture.Read("feed-journal-toc-rss-doi-keyed-items.xml"));
    private static ParseResult AtomBlog() => FeedParser.Parse(Fixture.Read("feed-atom-blog-xml-base-html-summary-doi-link.xml"));

    [Fact]
    public void A_blog_item_linking_to_arxiv_gets_the_arxiv_id_but_is_not_an_arxiv_record()
    {
        var paper = Blog().Papers[0];

        Assert.Equal("2605.01111", paper.ArxivId);
        Assert.Equal(2, paper.Version);
        Assert.Equal("https://arxiv.org/abs/2605.01111v2", paper.Link);
        Assert.False(paper.FromArxiv);
    }

    [Fact]
    public void Html_in_a_description_becomes_plain_text()
    {
        Assert.Equal("We wrote a paper on sparse sketches & federated learning. Read it on arXiv.", Blog().Papers[0].Abstract);
        Assert.Equal("First Second", Blog().Papers[1].Abstract);
    }

    [Fact]
    public void A_link_only_item_has_its_relative_link_made_absolute_and_no_ids()
    {
        var paper = Blog().Papers[1];

        Assert.Equal("Notes from the reading group", paper.Title);
        Assert.Equal("https://lab.example.org/blog/2026/05/reading-group", paper.Link);
        Assert.Null(paper.ArxivId);
        Assert.Null(paper.Doi);
    }

    [Fact]
    public void Rss_authors_come_from_dc_creator_or_the_name_in_author()
    {
        Assert.Equal(["Noor Haddad"], Blog().Papers[0].Authors);
        Assert.Equal(["Lab Editor"], Blog().Papers[1].Authors);
    }

    [Fact]
    public void PublishedAt_is_the_pubDate_in_utc_and_list_day_its_utc_date()
    {
        var paper = Blog().Papers[0];

        // Tue, 05 May 2026 21:30 -0700 is 04:30 UTC on 6 May.
        Assert.Equal(new DateTime(2026, 5, 6, 4, 30, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(DateTimeKind.Utc, paper.PublishedAt!.Value.Kind);
        Assert.Equal(new DateOnly(2026, 5, 6), paper.ListDay);
        Assert.Equal(new DateTime(2026, 5, 4, 9, 0, 0, DateTimeKind.Utc), Blog().Papers[1].PublishedAt);
    }

    [Fact]
    public void Items_without_a_title_are_skipped_with_a_warning()
    {
        var result = Blog();

        Assert.Equal(2, result.Papers.Count);
        Assert.Contains("1 item", result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_item_is_keyed_by_its_doi_in_lower_case()
    {
        var paper = Journal().Papers[0];

        Assert.Equal("10.5555/jmul.2026.0101", paper.Doi);
        Assert.Null(paper.ArxivId);
        Assert.Equal("https://journal.example.com/jmul/articles/s41-026-0101", paper.Link);
        Assert.False(paper.FromArxiv);
    }

    [Fact]
    public void A_doi_org_link_gives_the_doi_without_its_prefix()
    {
        Assert.Equal("10.5555/jmul.2026.0102", Journal().Papers[1].Doi);
    }

    [Fact]
    public void Journal_items_read_content_encoded_multiple_creators_and_dc_date()
    {
        var first = Journal().Papers[0];
        var second = Journal().Papers[1];

        Assert.Equal("Ensembles, calibrated, at scale.", first.Abstract);
        Assert.Equal(["Yusuf Demir", "Elena Petrova"], first.Authors);
        Assert.Equal(new DateTime(2026, 5, 3, 10, 0, 0, DateTimeKind.Utc), first.PublishedAt);
        Assert.Equal(new DateTime(2026, 5, 2, 0, 0, 0, DateTimeKind.Utc), second.PublishedAt);
        Assert.Equal(new DateOnly(2026, 5, 2), second.ListDay);
    }

    [Fact]
    public void Atom_entries_read_html_titles_and_summaries_as_text()
    {
        var paper = AtomBlog().Papers[0];

        Assert.Equal("Faster Retrieval with Tiny Indexes", paper.Title);
        Assert.Equal("Tiny indexes, fast retrieval.", paper.Abstract);
        Assert.Equal(["Farah Aziz", "Jonas Weber"], paper.Authors);
    }

    [Fact]
    public void Atom_alternate_links_resolve_against_xml_base_and_a_related_doi_link_gives_the_doi()
    {
        var paper = AtomBlog().Papers[0];

        Assert.Equal("https://research.example.net/posts/tiny-indexes", paper.Link);
        Assert.Equal("10.5555/tiny.2026.1", paper.Doi);
    }

    [Fact]
    public void Atom_published_wins_over_updated_and_updated_is_the_fallback()
    {
        var papers = AtomBlog().Papers;

        // 23:30 at -02:00 is 01:30 UTC the next day.
        Assert.Equal(new DateTime(2026, 5, 6, 1, 30, 0, DateTimeKind.Utc), papers[0].PublishedAt);
        Assert.Equal(new DateOnly(2026, 5, 6), papers[0].ListDay);
        Assert.Equal(new DateTime(2026, 5, 4, 12, 0, 0, DateTimeKind.Utc), papers[1].PublishedAt);
    }

    [Fact]
    public void An_atom_entry_linking_to_arxiv_without_rel_gets_the_id_and_xhtml_content_as_abstract()
    {
        var paper = AtomBlog().Papers[1];

        Assert.Equal("2605.04444", paper.ArxivId);
        Assert.Null(paper.Version);
        Assert.Equal("Sparse attention, revisited.", paper.Abstract);
        Assert.Null(paper.Authors);
        Assert.False(paper.FromArxiv);
    }

    [Fact]
    public void An_rss1_rdf_feed_like_biorxiv_is_read_with_its_doi_identifier()
    {
        var paper = Assert.Single(FeedParser.Parse(Fixture.Read("feed-biorxiv-rss1-rdf-doi-identifiers.xml")).Papers);

        Assert.Equal("Protein Language Models Predict Made-Up Phenotypes", paper.Title);
        Assert.Equal("10.1101/2026.05.01.600001", paper.Doi);
        Assert.Equal("We predict phenotypes <from> sequences.", paper.Abstract);
        Assert.Equal(["Garcia, M., Osei, K."], paper.Authors);
        Assert.Equal(new DateOnly(2026, 5, 3), paper.ListDay);
    }

    [Fact]
    public void An_rss_arxiv_org_feed_gives_arxiv_records()
    {
        var result = FeedParser.Parse(Fixture.Read("arxiv-rss-cs-LG-2026-05-04-four-announce-types-affiliations.xml"));

        Assert.Equal(4, result.Papers.Count);
        Assert.All(result.Papers, p => Assert.True(p.FromArxiv));
        Assert.Equal(new DateOnly(2026, 5, 4), result.Day);
        Assert.Equal("replace-cross", result.Papers[3].AnnounceType);
    }

    [Fact]
    public void An_empty_rss_feed_is_an_empty_result()
    {
        Assert.Empty(FeedParser.Parse("""<rss version="2.0"><channel><title>Quiet blog</title><link>https://quiet.example.com/</link></channel></rss>""").Papers);
    }

    [Theory]
    [InlineData("<html><head><title>Not a feed</title></head><body/></html>", "not an RSS or Atom feed")]
    [InlineData("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"/>", "not an RSS or Atom feed")]
    [InlineData("<rss version=\"2.0\"><channel><item><title>Unclosed</channel></rss>", "malformed XML")]
    [InlineData("<rss version=\"2.0\"/>", "no <channel>")]
    public void A_document_that_is_neither_rss_nor_atom_throws(string xml, string message)
    {
        var ex = Assert.Throws<SourceFormatException>(() => FeedParser.Parse(xml));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
