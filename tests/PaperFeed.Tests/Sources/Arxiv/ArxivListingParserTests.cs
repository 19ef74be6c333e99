using System.Globalization;
using System.Text;
using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Tests.Sources.Arxiv;

public class ArxivListingParserTests
{
    private const string NewPage = "arxiv-list-new-2026-09-14-cs-ai-new-cross-replace.html";
    private const string LegacyPage = "arxiv-list-new-2023-10-13-cs-ai-pre2024-list-identifier.html";
    private const string RecentPage = "arxiv-list-recent-cs-ai-two-days-no-abstracts.html";
    private const string NoUpdatesPage = "arxiv-list-new-2026-09-14-cs-gl-no-updates-today.html";
    private const string LayoutChangePage = "arxiv-list-new-layout-change-no-dl-entries.html";

    private static readonly DateOnly Sep14 = new(2026, 9, 14);

    private static PaperRecord Paper(ParseResult result, string id) => Assert.Single(result.Papers, p => p.ArxivId == id);

    // ---- current /new markup ----

    [Fact]
    public void New_page_reads_every_entry_of_every_section_in_page_order()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(NewPage));

        Assert.Equal(["2609.08811", "2609.08812", "2609.07001", "2608.01234"], result.Papers.Select(p => p.ArxivId));
        Assert.Equal(["new", "new", "cross", "replace"], result.Papers.Select(p => p.AnnounceType));
        Assert.Null(result.Warning);
    }

    [Fact]
    public void New_page_day_comes_from_the_showing_new_listings_heading()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(NewPage));

        Assert.Equal(Sep14, result.Day);
        Assert.All(result.Papers, p => Assert.Equal(Sep14, p.ListDay));
    }

    [Fact]
    public void Every_record_is_marked_as_coming_from_arxiv()
    {
        foreach (var page in new[] { NewPage, LegacyPage, RecentPage })
            Assert.All(ArxivListingParser.Parse(Fixture.Read(page)).Papers, p => Assert.True(p.FromArxiv));
    }

    [Fact]
    public void Escaped_markup_in_a_title_is_kept_as_text_and_hard_wraps_are_collapsed()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08811");

        Assert.Equal("When <script> Is Just Text: Escaping Markup in Scholarly Metadata", paper.Title);
    }

    [Fact]
    public void Latex_in_a_title_is_kept_verbatim()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08812");

        Assert.Equal(@"Tight Bounds on the $\alpha$-divergence for Off-Policy Evaluation", paper.Title);
    }

    [Fact]
    public void Authors_are_one_per_link_with_entities_decoded()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08811");

        Assert.Equal(["Ada Quist", "Jörg Müller", "Bruno Lemaire"], paper.Authors);
    }

    [Fact]
    public void Author_list_is_unavailable_means_no_authors_rather_than_a_fake_name()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08812");

        Assert.Null(paper.Authors);
    }

    [Fact]
    public void Abstract_drops_line_breaks_and_decodes_entities()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08811");

        Assert.Equal(
            "Titles and abstracts that contain markup-like text, such as a literal <script> tag, must be shown as text. "
            + "We measure how often aggregators get this wrong & propose a fix.",
            paper.Abstract);
    }

    [Fact]
    public void A_line_break_tag_with_no_whitespace_around_it_still_separates_words()
    {
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("New submissions (showing 1 of 1 entries)",
                Entry("2609.08811", "", "Artificial Intelligence (cs.AI)", "", abstractText: "First paragraph.<br/>Second paragraph.")));

        Assert.Equal("First paragraph. Second paragraph.", Assert.Single(ArxivListingParser.Parse(html).Papers).Abstract);
    }

    [Fact]
    public void Comments_and_journal_ref_lose_their_descriptor_and_keep_link_text()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08811");

        Assert.Equal("12 pages, 3 figures; code at this https URL", paper.Comments);
        Assert.Equal("Proc. Workshop on Text Hygiene 2026, pp. 1--12", paper.JournalRef);
    }

    [Fact]
    public void Missing_comments_and_journal_ref_stay_null()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.08812");

        Assert.Null(paper.Comments);
        Assert.Null(paper.JournalRef);
        Assert.Equal("v3: added experiments", Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2608.01234").Comments);
    }

    [Fact]
    public void Categories_are_codes_with_the_primary_first()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(NewPage));

        var first = Paper(result, "2609.08811");
        Assert.Equal(["cs.AI", "cs.LG"], first.Categories);
        Assert.Equal("cs.AI", first.PrimaryCategory);

        var single = Paper(result, "2609.08812");
        Assert.Equal(["cs.AI"], single.Categories);
        Assert.Equal("cs.AI", single.PrimaryCategory);

        var cross = Paper(result, "2609.07001");
        Assert.Equal(["cs.LG", "cs.AI", "stat.ML"], cross.Categories);
        Assert.Equal("cs.LG", cross.PrimaryCategory);
    }

    [Fact]
    public void Version_comes_from_the_html_link_when_there_is_one()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(NewPage));

        Assert.Equal(2, Paper(result, "2609.08811").Version);
        Assert.Equal(3, Paper(result, "2608.01234").Version);
        Assert.Null(Paper(result, "2609.08812").Version);
    }

    [Fact]
    public void Cross_list_entry_keeps_its_own_primary_category()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2609.07001");

        Assert.Equal("cross", paper.AnnounceType);
        Assert.Equal("Small Models Can Plan", paper.Title);
        Assert.Equal(["Chidi Okafor", "Yui Tanaka"], paper.Authors);
        Assert.Equal("A 1B-parameter model plans as well as one 10 times its size.", paper.Abstract);
    }

    [Fact]
    public void Replacement_of_a_paper_whose_primary_is_the_page_category_is_replace()
    {
        var paper = Paper(ArxivListingParser.Parse(Fixture.Read(NewPage)), "2608.01234");

        Assert.Equal("replace", paper.AnnounceType);
        Assert.Equal("Agents That Ask Before Acting", paper.Title);
        Assert.Equal(["cs.AI", "cs.CL"], paper.Categories);
    }

    [Fact]
    public void Replacement_listed_here_through_a_secondary_category_is_replace_cross()
    {
        // Current markup prints only "(replaced)"; the page is cs.AI and the paper's primary is cs.LG.
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("Replacement submissions (showing 2 of 2 entries)",
                Entry("2607.00001", "(replaced)", "Machine Learning (cs.LG)", "; Artificial Intelligence (cs.AI)"),
                Entry("2607.00002", "(replaced)", "Artificial Intelligence (cs.AI)", "; Machine Learning (cs.LG)")));

        var result = ArxivListingParser.Parse(html);

        Assert.Equal(["replace-cross", "replace"], result.Papers.Select(p => p.AnnounceType));
    }

    [Fact]
    public void Replacement_on_an_archive_page_without_a_cross_marker_is_replace()
    {
        // On /list/cs/new the h1 names no single category, so nothing says the entry is a cross-list.
        var html = Page("Computer Science",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("Replacement submissions (showing 1 of 1 entries)",
                Entry("2607.00001", "(replaced)", "Machine Learning (cs.LG)", "; Artificial Intelligence (cs.AI)")));

        Assert.Equal("replace", Assert.Single(ArxivListingParser.Parse(html).Papers).AnnounceType);
    }

    [Fact]
    public void Headings_before_the_dl_work_as_well_as_headings_inside_it()
    {
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            "<h3>Cross submissions (showing 1 of 1 entries)</h3>"
            + "<dl id='articles'>" + Entry("2609.07001", "(cross-list from cs.LG)", "Machine Learning (cs.LG)", "; Artificial Intelligence (cs.AI)") + "</dl>"
            + "<h3>New submissions (showing 1 of 1 entries)</h3>"
            + "<dl id='articles'>" + Entry("2609.08811", "", "Artificial Intelligence (cs.AI)", "") + "</dl>");

        var result = ArxivListingParser.Parse(html);

        Assert.Equal(["cross", "new"], result.Papers.Select(p => p.AnnounceType));
    }

    [Fact]
    public void A_stray_quote_after_a_class_attribute_does_not_hide_the_comments()
    {
        // arXiv's older browse template had class='list-comments mathjax'' (one quote too many).
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("New submissions (showing 1 of 1 entries)",
                Entry("2609.08811", "", "Artificial Intelligence (cs.AI)", "",
                    extraMeta: "<div class='list-comments mathjax''><span class='descriptor'>Comments:</span>\n  5 pages\n</div>")));

        Assert.Equal("5 pages", Assert.Single(ArxivListingParser.Parse(html).Papers).Comments);
    }

    // ---- pre-2024 markup ----

    [Fact]
    public void Pre_2024_page_reads_ids_from_the_list_identifier_span()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(LegacyPage));

        Assert.Equal(["2310.08001", "2310.07002", "cs/0601001", "2307.01111"], result.Papers.Select(p => p.ArxivId));
        Assert.Equal(["new", "cross", "replace", "replace-cross"], result.Papers.Select(p => p.AnnounceType));
    }

    [Fact]
    public void Pre_2024_page_day_comes_from_the_section_headings()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(LegacyPage));

        Assert.Equal(new DateOnly(2023, 10, 13), result.Day);
        Assert.All(result.Papers, p => Assert.Equal(new DateOnly(2023, 10, 13), p.ListDay));
    }

    [Fact]
    public void Pre_2024_entry_fields_skip_the_descriptors()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(LegacyPage));

        var first = Paper(result, "2310.08001");
        Assert.Equal("Curriculum Search for Theorem Proving Agents", first.Title);
        Assert.Equal(["Ada Quist", "Bruno Lemaire"], first.Authors);
        Assert.Equal("9 pages, accepted at a workshop", first.Comments);
        Assert.Equal(["cs.AI", "cs.LO"], first.Categories);
        Assert.Equal("We order proof goals by difficulty and search them in that order.", first.Abstract);
        Assert.Null(first.Version);

        var old = Paper(result, "cs/0601001");
        Assert.Equal("J. Fictional Logic 12 (2007) 34-56", old.JournalRef);
        Assert.Equal("cs.AI", old.PrimaryCategory);

        Assert.Equal("cs.RO", Paper(result, "2310.07002").PrimaryCategory);
    }

    // ---- /recent ----

    [Fact]
    public void Recent_page_gives_each_entry_the_day_of_its_section()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(RecentPage));

        Assert.Equal(["2609.08811", "2609.07001", "2609.06100", "2609.06101"], result.Papers.Select(p => p.ArxivId));
        Assert.Equal([Sep14, Sep14, new DateOnly(2026, 9, 11), new DateOnly(2026, 9, 11)], result.Papers.Select(p => p.ListDay));
    }

    [Fact]
    public void Recent_page_day_is_the_newest_section_even_when_it_comes_last()
    {
        Assert.Equal(Sep14, ArxivListingParser.Parse(Fixture.Read(RecentPage)).Day);

        var html = Page("Artificial Intelligence", "<h2>Authors and titles for recent submissions</h2>",
            Section("Thu, 10 Sep 2026 (continued, showing last 1 of 4 entries )", Entry("2609.05000", "", "Artificial Intelligence (cs.AI)", ""))
            + Section("Fri, 11 Sep 2026 (showing 1 of 1 entries )", Entry("2609.06000", "", "Artificial Intelligence (cs.AI)", "")));
        var result = ArxivListingParser.Parse(html);

        Assert.Equal(new DateOnly(2026, 9, 11), result.Day);
        Assert.Equal([new DateOnly(2026, 9, 10), new DateOnly(2026, 9, 11)], result.Papers.Select(p => p.ListDay));
    }

    [Fact]
    public void Recent_page_has_no_abstracts_and_takes_the_type_from_the_entry_marker()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(RecentPage));

        Assert.All(result.Papers, p => Assert.Null(p.Abstract));
        Assert.Equal(["new", "cross", "new", "new"], result.Papers.Select(p => p.AnnounceType));
    }

    [Fact]
    public void Recent_page_entries_carry_the_same_fields_as_new()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(RecentPage));

        var first = Paper(result, "2609.08811");
        Assert.Equal("When <script> Is Just Text: Escaping Markup in Scholarly Metadata", first.Title);
        Assert.Equal(["Ada Quist", "Jörg Müller", "Bruno Lemaire"], first.Authors);
        Assert.Equal("12 pages, 3 figures", first.Comments);
        Assert.Equal(2, first.Version);

        var journal = Paper(result, "2609.06100");
        Assert.Equal("Trans. Fictional AI 3 (2026) 77-90", journal.JournalRef);
        Assert.Null(journal.Comments);

        var noAuthors = Paper(result, "2609.06101");
        Assert.Null(noAuthors.Authors);
        Assert.Equal(["cs.AI", "cs.SE"], noAuthors.Categories);
    }

    // ---- empty days and wrong pages ----

    [Fact]
    public void No_updates_today_is_an_empty_result_with_the_day()
    {
        var result = ArxivListingParser.Parse(Fixture.Read(NoUpdatesPage));

        Assert.Empty(result.Papers);
        Assert.Equal(Sep14, result.Day);
        Assert.Null(result.Warning);
    }

    [Fact]
    public void A_page_with_neither_entries_nor_no_updates_is_a_layout_change()
    {
        var error = Assert.Throws<SourceFormatException>(() => ArxivListingParser.Parse(Fixture.Read(LayoutChangePage)));

        Assert.Equal("no listing entries found (layout change?)", error.Message);
    }

    [Theory]
    [InlineData("<html><body><h1>Access Denied</h1><p>Sorry, your request has been denied.</p></body></html>")]
    [InlineData("{\"papers\": []}")]
    [InlineData("")]
    public void A_document_that_is_not_a_listing_is_rejected(string html)
    {
        var error = Assert.Throws<SourceFormatException>(() => ArxivListingParser.Parse(html));

        Assert.Contains("dlpage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_entry_is_skipped_with_a_warning()
    {
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("New submissions (showing 2 of 2 entries)",
                Entry("2609.08811", "", "Artificial Intelligence (cs.AI)", ""),
                Entry("not-an-id", "", "Artificial Intelligence (cs.AI)", "")));

        var result = ArxivListingParser.Parse(html);

        Assert.Equal("2609.08811", Assert.Single(result.Papers).ArxivId);
        Assert.Contains("skipped 1 of 2", result.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_of_which_none_can_be_read_are_a_layout_change()
    {
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section("New submissions (showing 1 of 1 entries)", "<dt>[1] something else</dt><dd><p>new layout</p></dd>"));

        Assert.Throws<SourceFormatException>(() => ArxivListingParser.Parse(html));
    }

    // ---- size ----

    [Fact]
    public void A_500_entry_new_page_parses_every_entry()
    {
        const int count = 500;
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"2609.{10000 + i}");
            sb.Append(Entry(id, i % 5 == 0 ? "(cross-list from cs.LG)" : "", "Artificial Intelligence (cs.AI)", "; Machine Learning (cs.LG)",
                title: $"Generated paper number {i}", abstractText: $"Abstract of paper {i}."));
        }
        var html = Page("Artificial Intelligence",
            "<h3>Showing new listings for Monday, 14 September 2026</h3>",
            Section($"New submissions (showing {count} of {count} entries)", sb.ToString()));

        var result = ArxivListingParser.Parse(html);

        Assert.Equal(count, result.Papers.Count);
        Assert.Null(result.Warning);
        for (var i = 0; i < count; i++)
        {
            var paper = result.Papers[i];
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"2609.{10000 + i}"), paper.ArxivId);
            Assert.Equal($"Generated paper number {i}", paper.Title);
            Assert.Equal($"Abstract of paper {i}.", paper.Abstract);
            Assert.Equal(["cs.AI", "cs.LG"], paper.Categories);
            Assert.Equal("new", paper.AnnounceType);
            Assert.Equal(Sep14, paper.ListDay);
        }
    }

    // ---- builders for inline pages, in the structure of arXiv's list_macros.html ----

    private static string Page(string categoryName, string index, string sections) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><title>{categoryName}</title></head>
        <body><div id='content'><div id='content-inner'><div id='dlpage'>
          <h1>{categoryName}</h1>
          {index}
          <div class='paging'>Total of many entries</div>
          {sections}
        </div></div></div></body></html>
        """;

    private static string Section(string heading, params string[] entries) =>
        $"<dl id='articles'>\n  <h3>{heading}</h3>\n{string.Concat(entries)}</dl>\n";

    private static string Entry(string id, string marker, string primarySubject, string secondarySubjects,
        string title = "A Paper", string abstractText = "An abstract.", string extraMeta = "") => $"""
            <dt>
              <a name='item1'>[1]</a>
              <a href ="/abs/{id}" title="Abstract" id="{id}">
                arXiv:{id}
              </a>
              {marker}
              [<a href="/pdf/{id}" title="Download PDF" id="pdf-{id}" aria-labelledby="pdf-{id}">pdf</a>]
            </dt>
            <dd>
              <div class='meta'>
                <div class='list-title mathjax'><span class='descriptor'>Title:</span>
                  {title}
                </div>
                <div class='list-authors'><a href="https://arxiv.org/a/quist_a_1" rel="nofollow">Ada Quist</a></div>
                {extraMeta}
                <div class='list-subjects'><span class='descriptor'>Subjects:</span>
                  <span class="primary-subject">{primarySubject}</span>{secondarySubjects}
                </div>
                <p class='mathjax'>
                  {abstractText}
                </p>
              </div>
            </dd>

            """;
}
