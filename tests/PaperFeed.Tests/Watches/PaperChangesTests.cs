using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Watches;

namespace PaperFeed.Tests.Watches;

/// <summary>What counts as news of a watched paper, how it is said, and that the digest section encodes it.</summary>
public sealed class PaperChangesTests : IAsyncDisposable
{
    private static readonly DateTime At = new(2026, 6, 12, 8, 0, 0, DateTimeKind.Utc);
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly HtmlRenderer _renderer;

    public PaperChangesTests() => _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static Paper Described(Action<Paper>? change = null)
    {
        var paper = new Paper
        {
            Id = 7, Key = "2606.01001", ArxivId = "2606.01001", Version = 1, Title = "Old title", NormalizedTitle = "old title",
            Abstract = "First sentence. Second sentence.", Comments = "12 pages", MetadataFromArxiv = true,
        };
        change?.Invoke(paper);
        return paper;
    }

    [Theory]
    [InlineData("12 pages. Accepted at ICLR 2027 (oral)", "Accepted at ICLR 2027 (oral)")]
    [InlineData("accepted to NeurIPS 2026; camera-ready", "Accepted to NeurIPS 2026")]
    [InlineData("To appear in Nature Machine Intelligence.", "To appear in Nature Machine Intelligence")]
    [InlineData("12 pages, 3 figures", null)]
    [InlineData(null, null)]
    public void Venue_is_the_accepted_at_phrase(string? comment, string? venue) => Assert.Equal(venue, PaperChanges.Venue(comment));

    [Fact]
    public void A_new_version_with_a_new_title_and_a_journal_ref_is_four_lines_of_news()
    {
        var before = Described();
        var after = Described(p =>
        {
            p.Version = 2; p.Title = "New title"; p.Abstract = "First sentence. A new result.";
            p.JournalRef = "J. Mach. Learn. Res. 27 (2027)";
        });

        var lines = PaperChanges.Detect(before, after, At).Select(c => PaperChanges.Describe(c, "https://x/papers/2606.01001", null).Text).ToList();

        Assert.Equal(["New version on arXiv: v2", "Title changed from “Old title” to “New title”", "Abstract revised: “A new result.”",
            "Published in J. Mach. Learn. Res. 27 (2027)"], lines);
    }

    [Fact]
    public void The_first_description_by_arxiv_is_no_news_but_code_appearing_is()
    {
        var hfOnly = Described(p => { p.MetadataFromArxiv = false; p.Comments = null; });
        var described = Described(p => { p.Version = 3; p.Title = "arXiv's title"; p.GithubRepo = "https://github.com/o/r"; });

        var change = Assert.Single(PaperChanges.Detect(hfOnly, described, At));

        Assert.Equal(PaperChangeKind.Code, change.Kind);
        var line = PaperChanges.Describe(change, "https://x/papers/2606.01001", null);
        Assert.Equal("Code released: https://github.com/o/r", line.Text);
        Assert.Equal("https://github.com/o/r", line.Url);
        Assert.Empty(PaperChanges.Detect(Described(), Described(), At));
    }

    [Fact]
    public async Task The_digest_section_encodes_a_script_in_a_title_and_the_text_part_lists_the_news()
    {
        var composer = new DigestComposer(_renderer);
        var update = new WatchedUpdate(7, "<script>alert(1)</script> Experts", "https://papers.example.org/papers/2606.01001",
            [new ChangeLine(PaperChangeKind.Title, "Title changed from “<img src=x onerror=alert(2)>” to “x”", null, At),
             new ChangeLine(PaperChangeKind.Comment, "New comment by @bob", "https://papers.example.org/papers/2606.01001#c-5", At)], [1, 2]);
        var links = new DigestEmailLinks("https://papers.example.org", "https://papers.example.org/p", "https://papers.example.org/u");
        var period = new DigestPeriod("2026-06-12", new DateOnly(2026, 6, 12), new DateOnly(2026, 6, 12));

        var content = await composer.ComposeAsync(new Subscription { Id = 1, Email = "r@example.org" }, period, [], links, watched: [update]);

        Assert.Equal("PaperFeed daily, Fri 12 Jun 2026: news of 1 watched paper", content.Subject);
        Assert.DoesNotContain("<script>", content.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", content.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Experts", content.Html, StringComparison.Ordinal);
        Assert.Contains("<a class=\"pf-link\" href=\"https://papers.example.org/papers/2606.01001#c-5\">New comment by @bob</a>", content.Html, StringComparison.Ordinal);
        Assert.Contains("Watched papers\n--------------\n\n* <script>alert(1)</script> Experts\n", content.Text, StringComparison.Ordinal);
        Assert.Contains("  - New comment by @bob: https://papers.example.org/papers/2606.01001#c-5\n", content.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Top papers listed", content.Text, StringComparison.Ordinal);
    }
}
