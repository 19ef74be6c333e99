using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Tests.Sources.HuggingFace;

public class HfDailyPapersJsonParserTests
{
    private static IReadOnlyList<PaperRecord> Papers2026() => HfDailyPapersJsonParser.Parse(Fixture.Read("hf-daily-2026-five-item-variants.json")).Papers;

    private static PaperRecord Paper2026(string id) => Assert.Single(Papers2026(), p => p.ArxivId == id);

    [Fact]
    public void Reads_every_item_with_its_unversioned_arxiv_id_in_list_order()
    {
        var papers = Papers2026();

        Assert.Equal(["2606.04101", "2606.04102", "2606.04103", "2606.04104", "2606.04105"], papers.Select(p => p.ArxivId));
        Assert.All(papers, p => Assert.Null(p.Version));
        Assert.All(papers, p => Assert.False(p.FromArxiv));
    }

    [Fact]
    public void Titles_and_abstracts_lose_hard_line_wraps()
    {
        var paper = Paper2026("2606.04105");

        Assert.Equal("Hard Negatives for Contrastive Retrieval <script>alert(1)</script>", paper.Title);
        Assert.Equal("Mining hard negatives for contrastive retrieval without a second encoder.", paper.Abstract);
    }

    [Fact]
    public void A_script_tag_in_a_title_is_kept_as_plain_text_for_the_renderer_to_encode()
    {
        Assert.Contains("<script>alert(1)</script>", Paper2026("2606.04105").Title, StringComparison.Ordinal);
    }

    [Fact]
    public void Authors_are_kept_in_order_including_hidden_ones()
    {
        Assert.Equal(["Ines Duarte", "Hidden Contributor", "Kwame Mensah"], Paper2026("2606.04104").Authors);
        Assert.Equal(["Lena Kovač", "Tomás Ibarra", "Mei Ling Osei"], Paper2026("2606.04101").Authors);
    }

    [Fact]
    public void Upvotes_are_read_including_zero()
    {
        Assert.Equal(42, Paper2026("2606.04101").Upvotes);
        Assert.Equal(7, Paper2026("2606.04102").Upvotes);
        Assert.Equal(0, Paper2026("2606.04103").Upvotes);
    }

    [Fact]
    public void Comment_counts_are_read_including_zero()
    {
        Assert.Equal(3, Paper2026("2606.04101").NumComments);
        Assert.Equal(0, Paper2026("2606.04103").NumComments);
    }

    [Fact]
    public void List_day_is_the_utc_date_of_submittedOnDailyAt_not_the_wrapper_publishedAt()
    {
        // 2606.04103's wrapper publishedAt is 2026-06-07T20:00Z; it was on the 2026-06-12 list.
        Assert.All(Papers2026(), p => Assert.Equal(new DateOnly(2026, 6, 12), p.ListDay));
    }

    [Fact]
    public void List_day_from_a_submittedOnDailyAt_with_an_offset_is_its_utc_date()
    {
        const string json = """[{"paper":{"id":"2606.00001","title":"Offset","submittedOnDailyAt":"2026-06-12T22:30:00-05:00"},"publishedAt":"2026-06-10T20:00:00.000Z"}]""";

        Assert.Equal(new DateOnly(2026, 6, 13), Assert.Single(HfDailyPapersJsonParser.Parse(json).Papers).ListDay);
    }

    [Fact]
    public void PublishedAt_is_the_papers_publishedAt_in_utc()
    {
        var published = Paper2026("2606.04103").PublishedAt;

        Assert.Equal(new DateTime(2026, 6, 8, 0, 0, 0, DateTimeKind.Utc), published);
        Assert.Equal(DateTimeKind.Utc, published!.Value.Kind);
    }

    [Fact]
    public void An_item_with_every_optional_field_has_them_all()
    {
        var paper = Paper2026("2606.04101");

        Assert.Equal("Quiet Gradients: Low-Noise Training of Sparse Mixture Models", paper.Title);
        Assert.StartsWith("We study gradient noise", paper.Abstract, StringComparison.Ordinal);
        Assert.Equal("Routing-aware averaging cuts gradient noise in sparse mixture models at no training cost.", paper.AiSummary);
        Assert.Equal(["sparse mixture models", "gradient noise", "routing"], paper.AiKeywords);
        Assert.Equal("https://github.com/example-lab/quiet-gradients", paper.GithubRepo);
        Assert.Equal(128, paper.GithubStars);
        Assert.Equal("https://example-lab.github.io/quiet-gradients/", paper.ProjectPage);
        Assert.Equal("example-lab", paper.Organization);
        Assert.Equal("Example Research Lab", paper.OrganizationName);
        Assert.Equal("6a3000000000000000000001", paper.DiscussionId);
        Assert.Equal("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.04101.png", paper.Thumbnail);
    }

    [Fact]
    public void Optional_fields_are_null_when_the_item_has_none()
    {
        var paper = Paper2026("2606.04102");

        Assert.Null(paper.AiSummary);
        Assert.Null(paper.AiKeywords);
        Assert.Null(paper.GithubRepo);
        Assert.Null(paper.GithubStars);
        Assert.Null(paper.ProjectPage);
        Assert.Null(paper.Organization);
        Assert.Null(paper.OrganizationName);
        // The always-present fields are still there.
        Assert.Equal("A Minimal Baseline for Table Question Answering", paper.Title);
        Assert.Equal(["Arjun Patel", "Sofia Brandt"], paper.Authors);
    }

    [Fact]
    public void Ai_keywords_and_summary_are_read_where_present()
    {
        var paper = Paper2026("2606.04104");

        Assert.Equal(["audio codec", "residual quantisation"], paper.AiKeywords);
        Assert.Equal("A learned residual quantiser lets a neural audio codec work at 1.5 kbps.", paper.AiSummary);
        Assert.Null(paper.GithubRepo);
    }

    [Fact]
    public void Every_item_has_its_thumbnail()
    {
        Assert.All(Papers2026(), p => Assert.Equal($"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p.ArxivId}.png", p.Thumbnail));
    }

    [Fact]
    public void Submitter_is_the_wrapper_submittedBy_username_and_fullname()
    {
        var paper = Paper2026("2606.04101");

        Assert.Equal("lkovac", paper.SubmittedBy);
        Assert.Equal("Lena Kovač", paper.SubmittedByName);
    }

    [Fact]
    public void Submitter_falls_back_to_submittedOnDailyBy_user_when_there_is_no_wrapper_submitter()
    {
        const string json = """[{"paper":{"id":"2606.00002","title":"T","submittedOnDailyBy":{"_id":"x","fullname":"Full Name","user":"the-user","name":"the-user"}}}]""";

        var paper = Assert.Single(HfDailyPapersJsonParser.Parse(json).Papers);

        Assert.Equal("the-user", paper.SubmittedBy);
        Assert.Equal("Full Name", paper.SubmittedByName);
    }

    [Fact]
    public void Legacy_2024_items_take_the_list_day_from_the_wrapper_publishedAt()
    {
        var papers = HfDailyPapersJsonParser.Parse(Fixture.Read("hf-daily-2024-legacy-shape.json")).Papers;

        Assert.Equal(["2410.09901", "2410.09902"], papers.Select(p => p.ArxivId));
        Assert.All(papers, p => Assert.Equal(new DateOnly(2024, 10, 25), p.ListDay));
    }

    [Fact]
    public void Legacy_2024_items_keep_the_arxiv_submission_time_and_unwrap_the_text()
    {
        var paper = HfDailyPapersJsonParser.Parse(Fixture.Read("hf-daily-2024-legacy-shape.json")).Papers[0];

        Assert.Equal(new DateTime(2024, 10, 22, 17, 59, 30, DateTimeKind.Utc), paper.PublishedAt);
        Assert.Equal("Streaming Attention with Bounded Memory for Long Video Understanding", paper.Title);
        Assert.Equal("We bound the memory of attention over long videos by keeping a fixed set of summary tokens per segment.", paper.Abstract);
        Assert.Equal(["Marta Rossi", "Felix Wagner"], paper.Authors);
        Assert.Equal(64, paper.Upvotes);
        Assert.Equal(3, paper.NumComments);
        Assert.Equal("mrossi", paper.SubmittedBy);
        Assert.Equal("Marta Rossi", paper.SubmittedByName);
        Assert.Null(paper.AiSummary);
    }

    [Fact]
    public void A_bare_paper_object_as_from_api_papers_id_is_one_paper()
    {
        const string json = """
            {"id":"2606.04101","authors":[{"_id":"a1","name":"Lena Kovač","hidden":false},{"_id":"a2","name":"Tomás Ibarra","hidden":false}],
             "publishedAt":"2026-06-11T00:00:00.000Z","submittedOnDailyAt":"2026-06-12T00:00:00.000Z",
             "title":"Quiet Gradients","summary":"Short abstract.","upvotes":43,"discussionId":"6a3000000000000000000001",
             "githubRepo":"https://github.com/example-lab/quiet-gradients","githubStars":130,"numComments":4}
            """;

        var paper = Assert.Single(HfDailyPapersJsonParser.Parse(json).Papers);

        Assert.Equal("2606.04101", paper.ArxivId);
        Assert.Equal("Quiet Gradients", paper.Title);
        Assert.Equal("Short abstract.", paper.Abstract);
        Assert.Equal(["Lena Kovač", "Tomás Ibarra"], paper.Authors);
        Assert.Equal(43, paper.Upvotes);
        Assert.Equal(4, paper.NumComments);
        Assert.Equal(130, paper.GithubStars);
        Assert.Equal(new DateOnly(2026, 6, 12), paper.ListDay);
    }

    [Fact]
    public void A_bare_paper_object_without_submittedOnDailyAt_has_no_list_day()
    {
        const string json = """{"id":"2606.04101","title":"Quiet Gradients","publishedAt":"2026-06-11T00:00:00.000Z"}""";

        Assert.Null(Assert.Single(HfDailyPapersJsonParser.Parse(json).Papers).ListDay);
    }

    [Fact]
    public void An_empty_day_gives_zero_papers()
    {
        Assert.Empty(HfDailyPapersJsonParser.Parse(Fixture.Read("hf-daily-empty-day.json")).Papers);
    }

    [Theory]
    [InlineData("[{\"paper\":{\"id\":\"2606.04101\",\"title\":\"Cut off")]
    [InlineData("not json at all")]
    [InlineData("")]
    public void Malformed_json_throws_SourceFormatException(string json)
    {
        Assert.Throws<SourceFormatException>(() => HfDailyPapersJsonParser.Parse(json));
    }

    [Theory]
    [InlineData("{\"foo\":1}")]
    [InlineData("42")]
    [InlineData("\"a string\"")]
    public void Json_that_is_not_a_papers_list_throws_SourceFormatException(string json)
    {
        Assert.Throws<SourceFormatException>(() => HfDailyPapersJsonParser.Parse(json));
    }

    [Fact]
    public void An_item_that_is_not_an_object_throws_SourceFormatException()
    {
        Assert.Throws<SourceFormatException>(() => HfDailyPapersJsonParser.Parse("[1, 2]"));
    }

    [Fact]
    public void An_item_without_a_title_throws_SourceFormatException()
    {
        Assert.Throws<SourceFormatException>(() => HfDailyPapersJsonParser.Parse("""[{"paper":{"id":"2606.04101"}}]"""));
    }

    [Fact]
    public void An_id_that_is_not_an_arxiv_id_leaves_ArxivId_null_but_keeps_the_paper()
    {
        var paper = Assert.Single(HfDailyPapersJsonParser.Parse("""[{"paper":{"id":"../../etc/passwd","title":"Odd id"}}]""").Papers);

        Assert.Null(paper.ArxivId);
        Assert.Equal("Odd id", paper.Title);
    }
}
