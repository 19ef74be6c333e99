using AngleSharp.Html.Parser;
using PaperFeed.Comments;

namespace PaperFeed.Tests.Comments;

/// <summary>What a comment's Markdown may become: kept formatting, nothing that runs, links that pass no ranking.</summary>
public class CommentTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[click](  javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("![x](javascript:alert(1))")]
    [InlineData("![x](https://tracker.example/pixel.png)")]
    [InlineData("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)")]
    [InlineData("<svg onload=alert(1)>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<style>body{display:none}</style>")]
    [InlineData("`<script>` and ```\n<script>alert(1)</script>\n```")]
    [InlineData("[x](https://ok.example \"t\" onmouseover=alert(1))")]
    public void Nothing_in_a_comment_can_run_script_or_load_anything(string markdown)
    {
        var html = CommentText.ToHtml(markdown);
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            Assert.DoesNotContain(element.LocalName, new[] { "script", "img", "svg", "iframe", "style", "object", "embed" });
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{attribute.Name} in {html}");
                Assert.True(attribute.Name is "href" or "rel", $"{attribute.Name} in {html}");
            }
            if (element.GetAttribute("href") is { } href)
                Assert.True(href.StartsWith("https://", StringComparison.Ordinal) || href.StartsWith("http://", StringComparison.Ordinal), href);
        }
    }

    [Fact]
    public void Markdown_formatting_is_kept_and_links_pass_no_ranking()
    {
        var html = CommentText.ToHtml("# Big\n\n**Nice** result, see [the code](https://github.com/a/b) and https://arxiv.org/abs/2606.01001\n\n- one\n- two\n\n> quoted\n\n`x < y`");
        Assert.Contains("<strong>Nice</strong>", html);
        Assert.Contains("<h3>Big</h3>", html); // never outranks the page's own headings
        Assert.Contains("<a href=\"https://github.com/a/b\" rel=\"nofollow ugc noopener\">the code</a>", html);
        Assert.Contains("<a href=\"https://arxiv.org/abs/2606.01001\" rel=\"nofollow ugc noopener\">", html);
        Assert.Contains("<li>two</li>", html);
        Assert.Contains("<blockquote>", html);
        Assert.Contains("<code>x &lt; y</code>", html);
    }

    [Fact]
    public void Raw_html_is_shown_as_text()
    {
        var html = CommentText.ToHtml("a <b>bold</b> claim");
        Assert.Equal("<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>", html);
    }

    [Fact]
    public void Mentions_are_handles_after_an_at_sign_each_once_and_never_email_addresses()
    {
        Assert.Equal(["ada", "bob_2"], CommentText.Mentions("@Ada thanks, and @bob_2 (cc @ada) — mail ada@example.org or x@y"));
        Assert.Empty(CommentText.Mentions("no mention: me@ada.example, @a, foo@bar"));
        Assert.Equal(CommentText.MentionsNotified, CommentText.Mentions(string.Join(" ", Enumerable.Range(0, 20).Select(i => $"@user{i}"))).Count);
    }

    [Theory]
    [InlineData("Ada", "ada")]
    [InlineData("@grace_h", "grace_h")]
    [InlineData(" lab-42 ", "lab-42")]
    [InlineData("a", null)]
    [InlineData("-ada", null)]
    [InlineData("ada lovelace", null)]
    [InlineData("<script>", null)]
    [InlineData("ada@example.org", null)]
    [InlineData("thirty-one-characters-long-name", null)]
    [InlineData(null, null)]
    public void A_handle_is_two_to_thirty_plain_characters(string? wanted, string? handle) => Assert.Equal(handle, CommentText.Handle(wanted));

    [Fact]
    public void An_empty_or_too_long_comment_gets_a_one_line_reason()
    {
        Assert.NotNull(CommentText.Problem("   "));
        Assert.NotNull(CommentText.Problem(new string('x', Comment.MaxLength + 1)));
        Assert.Null(CommentText.Problem("fine"));
    }
}
