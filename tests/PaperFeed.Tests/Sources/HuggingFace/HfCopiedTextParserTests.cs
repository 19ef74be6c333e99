using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Tests.Sources.HuggingFace;

public class HfCopiedTextParserTests
{
    private static IReadOnlyList<PaperRecord> Papers() =>
        HfCopiedTextParser.Parse(Fixture.Read("hf-papers-page-copied-as-text-five-papers.txt"), 2025).Papers;

    private static PaperRecord Paper(string titleStart) => Assert.Single(Papers(), p => p.Title.StartsWith(titleStart, StringComparison.Ordinal));

    [Fact]
    public void Finds_every_paper_and_no_header_line()
    {
        Assert.Equal(
            [
                "Lantern: Sparse Probing of Frozen Vision Encoders",
                "Why Curricula Fail for Small Language Models",
                "Tidewater: A Benchmark for Coastal Flood Forecasting",
                "Quill: On-Device Handwriting Recognition",
                "Counting Objects with Language Supervision Only",
            ],
            Papers().Select(p => p.Title));
    }

    [Fact]
    public void Each_paper_has_its_abstract()
    {
        Assert.Equal(
            "Quill recognises handwriting on a phone in under ten milliseconds per line by distilling a large transformer into a small convolutional recogniser.",
            Paper("Quill").Abstract);
        Assert.All(Papers(), p => Assert.False(string.IsNullOrEmpty(p.Abstract)));
    }

    [Fact]
    public void Author_count_and_full_date_without_upvotes_gives_that_date_and_zero_upvotes()
    {
        var paper = Paper("Lantern");

        Assert.Equal(new DateTime(2023, 9, 20, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(0, paper.Upvotes);
        Assert.Null(paper.Organization);
    }

    [Fact]
    public void A_date_without_a_year_is_in_the_given_year_and_the_following_number_is_the_upvotes()
    {
        var paper = Paper("Tidewater");

        Assert.Equal(new DateTime(2025, 6, 16, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(5, paper.Upvotes);
    }

    [Fact]
    public void A_full_date_followed_by_a_number_has_those_upvotes()
    {
        var paper = Paper("Counting Objects");

        Assert.Equal(new DateTime(2024, 6, 20, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(2, paper.Upvotes);
    }

    [Fact]
    public void An_organisation_line_gives_the_organisation_handle_and_name()
    {
        var paper = Paper("Quill");

        Assert.Equal("nordlab", paper.Organization);
        Assert.Equal("Nord Lab", paper.OrganizationName);
        Assert.Equal(new DateTime(2025, 10, 29, 0, 0, 0, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal(1, paper.Upvotes);
    }

    [Fact]
    public void A_paper_with_no_metadata_has_no_date_and_no_upvotes()
    {
        var paper = Paper("Why Curricula");

        Assert.Null(paper.PublishedAt);
        Assert.Null(paper.Upvotes);
        Assert.Null(paper.Organization);
    }

    [Fact]
    public void Copied_papers_are_search_results_without_list_day_or_arxiv_id()
    {
        Assert.All(Papers(), p =>
        {
            Assert.Null(p.ListDay);
            Assert.Null(p.ArxivId);
        });
    }

    [Fact]
    public void Windows_line_endings_give_the_same_papers()
    {
        var text = Fixture.Read("hf-papers-page-copied-as-text-five-papers.txt").Replace("\n", "\r\n", StringComparison.Ordinal);

        var papers = HfCopiedTextParser.Parse(text, 2025).Papers;

        Assert.Equal(Papers(), papers);
    }

    [Fact]
    public void Page_chrome_alone_gives_no_papers()
    {
        const string text = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\nNov 6\n";

        Assert.Empty(HfCopiedTextParser.Parse(text, 2025).Papers);
    }

    [Theory]
    [InlineData(2024, 29)]
    [InlineData(2025, null)]
    public void A_year_less_feb_29_is_a_date_only_in_a_leap_year(int year, int? expectedDay)
    {
        const string text = """
            Daily Papers

            Leap Day Paper

            An abstract long enough to be taken for one: it runs on for well over eighty characters in total.

              • 2 authors
            ·
            Feb 29 3
            """;

        var paper = Assert.Single(HfCopiedTextParser.Parse(text, year).Papers);

        Assert.Equal(expectedDay is { } d ? new DateTime(year, 2, d, 0, 0, 0, DateTimeKind.Utc) : null, paper.PublishedAt);
        Assert.Equal(3, paper.Upvotes);
    }
}
