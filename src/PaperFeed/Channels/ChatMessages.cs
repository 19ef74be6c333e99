using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PaperFeed.Papers;

namespace PaperFeed.Channels;

public enum ChatService { Slack, Discord, Teams, Matrix }

/// <summary>What a channel posts: the view's name and address, and its new papers (absolute links from <see cref="BaseUrl"/>).</summary>
public sealed record ChatPost(string ViewTitle, string ViewUrl, IReadOnlyList<PaperCard> Papers, string BaseUrl);

/// <summary>
/// Pure: a post as each service's own incoming-webhook JSON, split into as many messages as its limits need (papers
/// are never cut between two messages). Scraped text is escaped for each service's markup, and no message can
/// mention everyone (Slack's &lt;!channel&gt; is escaped, Discord's allowed_mentions is empty).
/// </summary>
public static class ChatMessages
{
    /// <summary>Slack: at most 50 blocks a message, 3,000 characters in a section's text.</summary>
    public const int SlackBlocks = 50, SlackSectionText = 3000;
    /// <summary>Discord: 2,000 characters of content, 10 embeds, 6,000 characters over all embeds, 256 in a title, 4,096 in a description.</summary>
    public const int DiscordEmbeds = 10, DiscordEmbedTotal = 6000, DiscordTitle = 256, DiscordDescription = 4096, DiscordContent = 2000;
    /// <summary>Teams (Workflows or connector webhooks): about 28 KB a message.</summary>
    public const int TeamsBytes = 28 * 1024;
    /// <summary>Matrix: 65,536 bytes an event, envelope included; the content is kept well under it.</summary>
    public const int MatrixBytes = 60_000;

    private const int BlurbLength = 280;

    public static IReadOnlyList<string> Compose(ChatService service, ChatPost post) => service switch
    {
        ChatService.Slack => Split(post, Slack, m => ((JsonArray)m["blocks"]!).Count <= SlackBlocks),
        ChatService.Discord => Split(post, Discord, DiscordFits),
        ChatService.Teams => Split(post, Teams, m => Bytes(m) <= TeamsBytes),
        _ => Split(post, Matrix, m => Bytes(m) <= MatrixBytes),
    };

    // Greedy: add papers to the current message while it fits, else start the next one with the same heading.
    private static List<string> Split(ChatPost post, Func<ChatPost, IReadOnlyList<PaperCard>, int, JsonObject> build, Func<JsonObject, bool> fits)
    {
        var messages = new List<string>();
        var batch = new List<PaperCard>();
        JsonObject? last = null;
        foreach (var paper in post.Papers)
        {
            var candidate = build(post, [.. batch, paper], messages.Count);
            if (fits(candidate) || batch.Count == 0) { batch.Add(paper); last = candidate; continue; }
            messages.Add(last!.ToJsonString());
            batch = [paper];
            last = build(post, batch, messages.Count);
        }
        if (last is not null) messages.Add(last.ToJsonString());
        return messages;
    }

    private static string Heading(ChatPost post, int part) =>
        part == 0 ? $"{post.ViewTitle}: {Count(post.Papers.Count)}" : $"{post.ViewTitle} (continued)";

    private static string Count(int n) => n == 1 ? "1 new paper" : $"{n} new papers";
    private static string Link(ChatPost post, PaperCard paper) => post.BaseUrl + paper.Url;
    private static string Authors(PaperCard paper) =>
        string.Join(", ", paper.FirstAuthors) + (paper.MoreAuthors > 0 ? $" and {paper.MoreAuthors} more" : "");
    private static string Blurb(PaperCard paper) => PaperLinks.Shorten(paper.Blurb, BlurbLength) ?? "";

    // Slack mrkdwn: & < > are the only characters to escape; a link is <url|text>, so | and > cannot appear in its text.
    private static string SlackText(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static JsonObject Slack(ChatPost post, IReadOnlyList<PaperCard> papers, int part)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "section", ["text"] = Mrkdwn($"*<{post.ViewUrl}|{SlackText(Heading(post, part)).Replace("|", "¦")}>*") },
        };
        foreach (var paper in papers)
        {
            var text = $"*<{Link(post, paper)}|{SlackText(paper.Title).Replace("|", "¦")}>*\n{SlackText(Authors(paper))}\n{SlackText(Blurb(paper))}";
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(Cut(text, SlackSectionText)) });
        }
        // "text" is the notification's and old clients' fallback.
        return new JsonObject { ["text"] = SlackText(Heading(post, part)), ["blocks"] = blocks };
    }

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Discord(ChatPost post, IReadOnlyList<PaperCard> papers, int part)
    {
        var embeds = new JsonArray();
        foreach (var paper in papers)
            embeds.Add(new JsonObject
            {
                ["title"] = Cut(paper.Title, DiscordTitle),
                ["url"] = Link(post, paper),
                ["description"] = Cut(DiscordText(Authors(paper)) + "\n" + DiscordText(Blurb(paper)), DiscordDescription),
            });
        return new JsonObject
        {
            ["content"] = Cut($"**{DiscordText(Heading(post, part))}** <{post.ViewUrl}>", DiscordContent),
            ["embeds"] = embeds,
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
        };
    }

    private static bool DiscordFits(JsonObject message)
    {
        var embeds = (JsonArray)message["embeds"]!;
        var total = embeds.Sum(e => ((string)e!["title"]!).Length + ((string)e["description"]!).Length);
        return embeds.Count <= DiscordEmbeds && total <= DiscordEmbedTotal;
    }

    // Discord renders Markdown in content and descriptions: its marks are escaped so a title stays text.
    private static string DiscordText(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '[' or ']' or '(' or ')' or '#' or '@') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The "message" with one Adaptive Card attachment that Teams Workflows ("post to a channel when a webhook request is received") reads.</summary>
    private static JsonObject Teams(ChatPost post, IReadOnlyList<PaperCard> papers, int part)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = Heading(post, part), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        foreach (var paper in papers)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = paper.Title, ["weight"] = "Bolder", ["wrap"] = true, ["separator"] = true });
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Authors(paper), ["isSubtle"] = true, ["wrap"] = true, ["spacing"] = "None" });
            if (Blurb(paper).Length > 0) body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = Blurb(paper), ["wrap"] = true });
            body.Add(new JsonObject
            {
                ["type"] = "ActionSet",
                ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open", ["url"] = Link(post, paper) } },
            });
        }
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
            ["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open the view", ["url"] = post.ViewUrl } },
        };
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
    }

    /// <summary>The content of an m.room.message event (m.text with an HTML body), for PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}.</summary>
    private static JsonObject Matrix(ChatPost post, IReadOnlyList<PaperCard> papers, int part)
    {
        var text = new StringBuilder().Append(Heading(post, part)).Append(" — ").Append(post.ViewUrl).Append('\n');
        var html = new StringBuilder().Append("<p><strong><a href=\"").Append(Html(post.ViewUrl)).Append("\">")
            .Append(Html(Heading(post, part))).Append("</a></strong></p><ul>");
        foreach (var paper in papers)
        {
            text.Append("\n• ").Append(paper.Title).Append(" (").Append(Authors(paper)).Append(")\n  ").Append(Link(post, paper)).Append('\n');
            html.Append("<li><a href=\"").Append(Html(Link(post, paper))).Append("\">").Append(Html(paper.Title)).Append("</a><br>")
                .Append(Html(Authors(paper))).Append("</li>");
        }
        html.Append("</ul>");
        return new JsonObject { ["msgtype"] = "m.text", ["body"] = text.ToString(), ["format"] = "org.matrix.custom.html", ["formatted_body"] = html.ToString() };
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
    private static int Bytes(JsonObject message) => Encoding.UTF8.GetByteCount(message.ToJsonString());

    private static string Cut(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}
