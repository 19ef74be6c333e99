using System.Collections.Concurrent;
using System.Text.RegularExpressions;
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

    private static List<DigestItem> WithFeedback(string reader) =>
    [
        Item("First <b>&</b> \"quoted\"", 9) with { Reason = "Because you upvoted “Attention”", ReasonUrl = "https://papers.example.org/papers/x?a=1&b=2",
            UpUrl = $"https://papers.example.org/digest/feedback?token={reader}-up1", NotForMeUrl = $"https://papers.example.org/digest/feedback?token={reader}-down1" },
        Item("Second") with { PaperId = 2, UpUrl = $"https://papers.example.org/digest/feedback?token={reader}-up2",
            NotForMeUrl = $"https://papers.example.org/digest/feedback?token={reader}-down2" },
    ];

    [Fact]
    public async Task Readers_with_the_same_papers_share_one_render_and_each_gets_exactly_the_html_rendered_for_them_alone()
    {
        var shared = new ConcurrentDictionary<string, Task<DigestTemplate>>(StringComparer.Ordinal);
        foreach (var (id, email) in new[] { (1L, "o'brien&co@example.org"), (2L, "second@example.org") })
        {
            var subscription = new Subscription { Id = id, Email = email, Topics = ["llm"] };
            var links = Links with { PreferencesUrl = $"https://papers.example.org/digest/preferences?token=p{id}%2B", UnsubscribeUrl = $"https://papers.example.org/u?token=u{id}" };
            var alone = await _composer.ComposeAsync(subscription, Friday, WithFeedback(email), links, rankedForYou: true);
            var filled = await _composer.ComposeAsync(subscription, Friday, WithFeedback(email), links, rankedForYou: true, shared: shared);

            Assert.Equal(alone.Html, filled.Html);
            Assert.Equal(alone.Text, filled.Text);
            Assert.Contains($"token={email}-down2", filled.Text, StringComparison.Ordinal);
            Assert.Contains($"token=p{id}%2B", filled.Html, StringComparison.Ordinal);
        }
        Assert.Single(shared);

        // A title that looks like a placeholder is text like any other.
        var posing = await _composer.ComposeAsync(new Subscription { Id = 4, Email = "fourth@example.org" }, Friday,
            [Item("PFSLOTUNSUBZ PF0123456789ABCDEF0123456789ABCDEFXUP999Z")], Links, shared: shared);
        Assert.Contains("PFSLOTUNSUBZ PF0123456789ABCDEF0123456789ABCDEFXUP999Z", posing.Html, StringComparison.Ordinal);

        // Other papers (or other reasons) are other content: rendered on their own.
        var other = await _composer.ComposeAsync(new Subscription { Id = 3, Email = "third@example.org" }, Friday, [Item("Only")], Links, shared: shared);
        Assert.Equal(3, shared.Count);
        Assert.Contains(">Only</a>", other.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_html_has_one_stylesheet_no_styles_repeated_per_paper_and_only_ascii_so_it_is_sent_7bit()
    {
        var subscription = new Subscription { Id = 1, Email = "r@example.org" };
        var items = WithFeedback("r").Select(i => i with { Title = "Ünïcode — naïve 👍 " + i.Title }).ToList();
        var content = await _composer.ComposeAsync(subscription, Friday, items, Links, rankedForYou: true);
        var html = content.Html!;

        Assert.Single(Regex.Matches(html, "<style"));
        Assert.True(Regex.Matches(html, "style=\"").Count <= 1, "inline styles are in the stylesheet, not on each element");
        Assert.All(html, c => Assert.True(c < 128, $"non-ASCII {c} in the HTML"));
        Assert.Contains("&#xDC;n&#xEF;code", html, StringComparison.Ordinal);

        var mime = new DigestMessages(Microsoft.Extensions.Options.Options.Create(new PaperFeed.Email.SmtpOptions { From = "PaperFeed <d@papers.example.org>" }))
            .Write(new PendingDelivery(1, "digest-1.2026-06-12@papers.example.org", content.Subject, html, content.Text, DateTime.UtcNow, 0, 1, "r@example.org",
                SubscriptionStatus.Active), Links.UnsubscribeUrl);
        var message = DigestMessages.Load(mime);
        var htmlPart = message.BodyParts.OfType<MimeKit.TextPart>().Single(p => p.IsHtml);
        // No Content-Transfer-Encoding header (7bit, the default) or an explicit 7bit: not quoted-printable or base64.
        Assert.Contains(htmlPart.ContentTransferEncoding, new[] { MimeKit.ContentEncoding.Default, MimeKit.ContentEncoding.SevenBit });
        Assert.Equal(html, htmlPart.Text);
        Assert.Contains("Ünïcode — naïve 👍", message.TextBody, StringComparison.Ordinal);
        Assert.Equal("digest-1.2026-06-12@papers.example.org", message.MessageId);
        Assert.Equal($"<{Links.UnsubscribeUrl}>", message.Headers["List-Unsubscribe"]);
    }

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
