using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using PaperFeed.Papers;

namespace PaperFeed.Feeds;

public enum FeedFormat { Atom, Rss, Json, BibTeX, Ris, Csl }

/// <summary>A list view as a feed: its title, its page, and its papers with absolute links.</summary>
public sealed record FeedContent(string Title, string PageUrl, string FeedUrl, DateTime Updated, IReadOnlyList<PaperCard> Papers, string BaseUrl);

/// <summary>Reads ?format= (feeds and citation exports); writes Atom 1.0 (RFC 4287), RSS 2.0 and JSON Feed 1.1 with the framework's XML and JSON writers, never by string concatenation.</summary>
public static class FeedWriter
{
    public static bool TryParse(string? text, out FeedFormat format)
    {
        format = default;
        switch (text?.ToLowerInvariant())
        {
            case "atom": format = FeedFormat.Atom; return true;
            case "rss": format = FeedFormat.Rss; return true;
            case "json": format = FeedFormat.Json; return true;
            case "bibtex": format = FeedFormat.BibTeX; return true;
            case "ris": format = FeedFormat.Ris; return true;
            case "csl": format = FeedFormat.Csl; return true;
            default: return false;
        }
    }

    public static string ContentType(FeedFormat format) => format switch
    {
        FeedFormat.Atom => "application/atom+xml; charset=utf-8",
        FeedFormat.Rss => "application/rss+xml; charset=utf-8",
        FeedFormat.BibTeX => "application/x-bibtex; charset=utf-8",
        FeedFormat.Ris => "application/x-research-info-systems; charset=utf-8",
        FeedFormat.Csl => "application/vnd.citationstyles.csl+json; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    /// <summary>A citation export is a file to download (<see cref="CitationWriter"/>), not a feed to follow.</summary>
    public static bool IsExport(FeedFormat format) => format is FeedFormat.BibTeX or FeedFormat.Ris or FeedFormat.Csl;

    public static string FileExtension(FeedFormat format) => format switch
    {
        FeedFormat.BibTeX => ".bib",
        FeedFormat.Ris => ".ris",
        FeedFormat.Csl => ".json",
        FeedFormat.Atom => ".atom",
        FeedFormat.Rss => ".rss",
        _ => ".json",
    };

    public static string Write(FeedFormat format, FeedContent feed) => format switch
    {
        FeedFormat.Atom => Atom(feed),
        FeedFormat.Rss => Rss(feed),
        FeedFormat.Json => Json(feed),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "a citation export is written by CitationWriter"),
    };

    private static string Link(FeedContent feed, PaperCard paper) => feed.BaseUrl + paper.Url;
    /// <summary>The paper page's discussion: only the count of its comments goes into a feed, never what a comment holds.</summary>
    private static string DiscussionLink(FeedContent feed, PaperCard paper) => Link(feed, paper) + "#discussion";

    /// <summary>RFC 4685 (Atom threading): <c>thr:total</c> on a <c>replies</c> link.</summary>
    public const string ThreadNamespace = "http://purl.org/syndication/thread/1.0";
    /// <summary>RSS 2.0's Slash module: <c>slash:comments</c>, the item's comment count.</summary>
    public const string SlashNamespace = "http://purl.org/rss/1.0/modules/slash/";
    /// <summary>JSON Feed 1.1 extension object (keys starting with "_" are extensions) on each item.</summary>
    public const string JsonExtension = "_paperfeed";
    private static string Summary(PaperCard paper) => paper.AiSummary ?? paper.Abstract ?? "";
    private static DateTime Date(PaperCard paper, FeedContent feed) => paper.PublishedAt ?? feed.Updated;

    private static string Atom(FeedContent feed)
    {
        const string ns = "http://www.w3.org/2005/Atom";
        return Xml(w =>
        {
            w.WriteStartElement("feed", ns);
            w.WriteAttributeString("xmlns", "thr", null, ThreadNamespace);
            w.WriteElementString("title", ns, Safe(feed.Title));
            w.WriteElementString("id", ns, feed.FeedUrl);
            w.WriteElementString("updated", ns, Rfc3339(feed.Updated));
            WriteLink(w, ns, "self", feed.FeedUrl, "application/atom+xml");
            WriteLink(w, ns, "alternate", feed.PageUrl, "text/html");
            w.WriteStartElement("generator", ns); w.WriteString("PaperFeed"); w.WriteEndElement();
            foreach (var paper in feed.Papers)
            {
                w.WriteStartElement("entry", ns);
                w.WriteElementString("title", ns, Safe(paper.Title));
                w.WriteElementString("id", ns, Link(feed, paper));
                w.WriteElementString("updated", ns, Rfc3339(Date(paper, feed)));
                WriteLink(w, ns, "alternate", Link(feed, paper), "text/html");
                if (paper.PdfUrl is not null) WriteLink(w, ns, "related", paper.PdfUrl, "application/pdf");
                w.WriteStartElement("link", ns);
                w.WriteAttributeString("rel", "replies");
                w.WriteAttributeString("type", "text/html");
                w.WriteAttributeString("href", DiscussionLink(feed, paper));
                w.WriteAttributeString("total", ThreadNamespace, paper.CommentCount.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
                var authors = paper.Authors.Count > 0 ? paper.Authors : ["Unknown"];
                foreach (var author in authors)
                {
                    w.WriteStartElement("author", ns);
                    w.WriteElementString("name", ns, Safe(author));
                    w.WriteEndElement();
                }
                w.WriteStartElement("summary", ns);
                w.WriteAttributeString("type", "text");
                w.WriteString(Safe(Summary(paper)));
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
        });
    }

    private static string Rss(FeedContent feed)
    {
        const string atom = "http://www.w3.org/2005/Atom";
        return Xml(w =>
        {
            w.WriteStartElement("rss");
            w.WriteAttributeString("version", "2.0");
            w.WriteAttributeString("xmlns", "atom", null, atom);
            w.WriteAttributeString("xmlns", "slash", null, SlashNamespace);
            w.WriteStartElement("channel");
            w.WriteElementString("title", Safe(feed.Title));
            w.WriteElementString("link", feed.PageUrl);
            w.WriteElementString("description", Safe(feed.Title) + " on PaperFeed");
            w.WriteElementString("lastBuildDate", feed.Updated.ToString("R", CultureInfo.InvariantCulture));
            w.WriteStartElement("link", atom);
            w.WriteAttributeString("href", feed.FeedUrl);
            w.WriteAttributeString("rel", "self");
            w.WriteAttributeString("type", "application/rss+xml");
            w.WriteEndElement();
            foreach (var paper in feed.Papers)
            {
                w.WriteStartElement("item");
                w.WriteElementString("title", Safe(paper.Title));
                w.WriteElementString("link", Link(feed, paper));
                w.WriteStartElement("guid");
                w.WriteAttributeString("isPermaLink", "true");
                w.WriteString(Link(feed, paper));
                w.WriteEndElement();
                w.WriteElementString("comments", DiscussionLink(feed, paper));
                w.WriteElementString("pubDate", Date(paper, feed).ToString("R", CultureInfo.InvariantCulture));
                // RSS readers render an item's description as HTML: the scraped text is encoded once more so it stays text there.
                w.WriteElementString("description", Safe(System.Net.WebUtility.HtmlEncode(Summary(paper))));
                if (paper.Authors.Count > 0) w.WriteElementString("dc", "creator", "http://purl.org/dc/elements/1.1/", Safe(string.Join(", ", paper.Authors)));
                w.WriteElementString("slash", "comments", SlashNamespace, paper.CommentCount.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        });
    }

    private static string Json(FeedContent feed)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("version", "https://jsonfeed.org/version/1.1");
            w.WriteString("title", feed.Title);
            w.WriteString("home_page_url", feed.PageUrl);
            w.WriteString("feed_url", feed.FeedUrl);
            w.WriteStartArray("items");
            foreach (var paper in feed.Papers)
            {
                w.WriteStartObject();
                w.WriteString("id", Link(feed, paper));
                w.WriteString("url", Link(feed, paper));
                if (paper.ArxivUrl is not null) w.WriteString("external_url", paper.ArxivUrl);
                w.WriteString("title", paper.Title);
                w.WriteString("content_text", Summary(paper));
                w.WriteString("date_published", Rfc3339(Date(paper, feed)));
                if (paper.Authors.Count > 0)
                {
                    w.WriteStartArray("authors");
                    foreach (var author in paper.Authors) { w.WriteStartObject(); w.WriteString("name", author); w.WriteEndObject(); }
                    w.WriteEndArray();
                }
                w.WriteStartObject(JsonExtension);
                w.WriteNumber("comment_count", paper.CommentCount);
                w.WriteString("discussion_url", DiscussionLink(feed, paper));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteLink(XmlWriter w, string ns, string rel, string href, string type)
    {
        w.WriteStartElement("link", ns);
        w.WriteAttributeString("rel", rel);
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("href", href);
        w.WriteEndElement();
    }

    private static string Xml(Action<XmlWriter> write)
    {
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(new StringWriterUtf8(sb), new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), CheckCharacters = true }))
        {
            w.WriteStartDocument();
            write(w);
            w.WriteEndDocument();
        }
        return sb.ToString();
    }

    /// <summary>Scraped text may hold characters XML 1.0 forbids (control codes); they are dropped, not escaped.</summary>
    private static string Safe(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i])) { sb.Append(text, i, 2); i++; }
            else if (XmlConvert.IsXmlChar(text[i])) sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private static string Rfc3339(DateTime instant) => DateTime.SpecifyKind(instant, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class StringWriterUtf8(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}
