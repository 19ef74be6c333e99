using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PaperFeed.Digests;

namespace PaperFeed.Tests.Digests;

public sealed class DigestComposerTests : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly HtmlRenderer _renderer;
    private readonly DigestComposer _composer;

    public DigestComposerTests()
    {
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
        _composer = new DigestComposer(_renderer);
    }

    public async ValueTask DisposeAsync()
    {
        await _renderer.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static readonly DigestPeriod Friday = new("2026-06-12", new DateOnly(2026, 6, 12), new DateOnly(2026, 6, 12));
    private static readonly DigestEmailLinks Links = new("https://papers.example.org",
        "https://papers.example.org/digest/preferences?token=p1", "https://papers.example.org/digest/unsubscribe?token=u1");

    private static DigestItem Item(string title, int votes = 3) => new(1, title, ["Ada Lovelace", "Alan Turing", "B", "C", "D", "E"], "One line & more.", votes, 42,
        "https://papers.example.org/papers/2606.01001", "https://arxiv.org/abs/2606.01001", "https://arxiv.org/pdf/2606.01001", "https://github.com/o/r");

    [Fact]
    public async Task Scraped_markup_is_encoded_in_the_html()
    {
        var content = await _composer.ComposeAsync(new Subscription { Id = 1, Email = "r@example.org" }, Friday, [Item("<script>alert(1)</script> Attention")], Links);

        Assert.NotNull(content.Html);
        Assert.DoesNotContain("<script>", content.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Attention", content.Html, StringComparison.Ordinal);
        Assert.Contains("One line &amp; more.", content.Html, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> Attention", content.Text, StringComparison.Ordinal); // plain text needs no encoding
    }

    [Fact]
    public async Task Both_parts_have_the_links_and_why_the_reader_gets_it()
    {
        var content = await _composer.ComposeAsync(new Subscription { Id = 1, Email = "r@example.org", Topics = ["llm"] }, Friday, [Item("First", 9), Item("Second")], Links);

        const string why = "You get this email because r@example.org subscribed to the daily PaperFeed digest (topics llm).";
        foreach (var part in new[] { content.Html!, content.Text })
        {
            Assert.Contains(Links.UnsubscribeUrl, part, StringComparison.Ordinal);
            Assert.Contains(Links.PreferencesUrl, part, StringComparison.Ordinal);
            Assert.Contains(why, part, StringComparison.Ordinal);
            Assert.Contains("https://arxiv.org/pdf/2606.01001", part, StringComparison.Ordinal);
            Assert.Contains("https://github.com/o/r", part, StringComparison.Ordinal);
            Assert.Contains("Ada Lovelace, Alan Turing, B, C and 2 more", part, StringComparison.Ordinal);
        }
        Assert.Contains("prefers-color-scheme: dark", content.Html, StringComparison.Ordinal);
        Assert.StartsWith("PaperFeed daily, Fri 12 Jun 2026: 2 papers, top: First", content.Subject, StringComparison.Ordinal);
        Assert.True(content.Text.IndexOf("1. First", StringComparison.Ordinal) < content.Text.IndexOf("2. Second", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_format_has_no_html()
    {
        var content = await _composer.ComposeAsync(new Subscription { Id = 1, Email = "r@example.org", Format = DigestFormat.Text }, Friday, [Item("Only")], Links);
        Assert.Null(content.Html);
        Assert.Contains("1. Only", content.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mute_keywords_look_at_title_abstract_and_ai_keywords_case_insensitively()
    {
        var s = new Subscription { Email = "r@example.org", MuteKeywords = ["diffusion"] };
        static DigestCandidate C(string title, string? @abstract = null, params string[] keywords) =>
            new(1, "k", null, title, [], null, @abstract, [.. keywords], 0, 0, null);
        Assert.False(DigestSelection.Wanted(s, C("Latent DIFFUSION models")));
        Assert.False(DigestSelection.Wanted(s, C("Images", "We train a diffusion model.")));
        Assert.False(DigestSelection.Wanted(s, C("Images", null, "Diffusion")));
        Assert.True(DigestSelection.Wanted(s, C("Transformers")));
        s.IncludeKeywords = ["agent"];
        Assert.True(DigestSelection.Wanted(s, C("Tool-using Agents")));
        Assert.False(DigestSelection.Wanted(s, C("Transformers")));
    }
}
