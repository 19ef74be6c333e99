using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Ganss.Xss;
using Markdig;

namespace PaperFeed.Comments;

/// <summary>
/// Pure rules about what a comment holds: Markdown → HTML through a kept allow-list (no raw HTML, no script, no style,
/// only http/https/mailto links, each rel="nofollow ugc noopener"), the @mentions in it, and what a handle may be.
/// </summary>
public static partial class CommentText
{
    public const int HandleMinLength = 2;
    public const int HandleMaxLength = 30;
    /// <summary>More mentions than this in one comment notify nobody beyond the first ones: a comment is not a mailing list.</summary>
    public const int MentionsNotified = 5;

    // Raw HTML in the Markdown is shown as text, not parsed: the sanitizer below is the second wall, not the only one.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().UseEmphasisExtras().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                { "p", "br", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr", "h3", "h4" },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
        });
        // After sanitizing: links from readers pass no ranking, no referrer window.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IHtmlAnchorElement link) link.SetAttribute("rel", "nofollow ugc noopener");
        };
        return sanitizer;
    }

    /// <summary>The comment's Markdown as sanitized HTML; headings are demoted to h3/h4 so a comment never outranks the page's.</summary>
    public static string ToHtml(string markdown)
    {
        var html = Markdown.ToHtml(markdown, Pipeline);
        html = HeadingOpen().Replace(html, m => m.Groups[1].Value == "1" || m.Groups[1].Value == "2" ? "<h3>" : "<h4>");
        html = HeadingClose().Replace(html, m => m.Groups[1].Value == "1" || m.Groups[1].Value == "2" ? "</h3>" : "</h4>");
        return Sanitizer.Sanitize(html).Trim();
    }

    /// <summary>A trimmed body, or the one-line reason it cannot be posted.</summary>
    public static string? Problem(string? body) => string.IsNullOrWhiteSpace(body) ? "Write something first: the comment is empty."
        : body.Length > Comment.MaxLength ? $"A comment holds at most {Comment.MaxLength:N0} characters; this one has {body.Length:N0}."
        : null;

    /// <summary>The handles mentioned as @name (lower case, each once, in order), not counting e-mail addresses.</summary>
    public static List<string> Mentions(string body) =>
        [.. Mention().Matches(body).Select(m => m.Groups[1].Value.ToLowerInvariant()).Distinct().Take(MentionsNotified)];

    /// <summary>A handle as stored (lower case), or null when <paramref name="wanted"/> is not one: 2–30 letters, digits, '_' or '-', starting with a letter or digit.</summary>
    public static string? Handle(string? wanted)
    {
        var handle = wanted?.Trim().TrimStart('@').ToLowerInvariant();
        return handle is not null && HandlePattern().IsMatch(handle) ? handle : null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{1,29}$", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();

    [GeneratedRegex(@"(?<![\w@.])@([a-z0-9][a-z0-9_-]{1,29})(?![\w-]*@)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Mention();

    [GeneratedRegex(@"<h([1-6])>", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingOpen();

    [GeneratedRegex(@"</h([1-6])>", RegexOptions.CultureInvariant)]
    private static partial Regex HeadingClose();
}
