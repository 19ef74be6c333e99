using System.Text;
using System.Xml.Linq;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PaperFeed.Papers;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Sources.Feeds;

/// <summary>
/// Reads any RSS 2.0 (also 0.9x and RSS 1.0/RDF) or Atom 1.0 feed: a lab blog, a journal's table of contents,
/// bioRxiv. Items are keyed by an arXiv id when they point at arxiv.org, else by a DOI, else by their link.
/// An rss.arxiv.org feed is handed to <see cref="ArxivRssParser"/>, whose records are arXiv's own.
/// </summary>
public static class FeedParser
{
    private static readonly XNamespace Atom = XmlSource.Atom;
    private static readonly XNamespace Dc = XmlSource.Dc;
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Rss1 = "http://purl.org/rss/1.0/";
    private static readonly XNamespace[] Prism =
    [
        "http://prismstandard.org/namespaces/basic/2.0/", "http://prismstandard.org/namespaces/basic/3.0/",
        "http://prismstandard.org/namespaces/basic/2.1/", "http://prismstandard.org/namespaces/1.2/basic/",
    ];

    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
        "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt", "dl", "figure", "figcaption",
    };

    public static ParseResult Parse(string xml)
    {
        var root = XmlSource.LoadRoot(xml, "feed");
        var items = new List<XElement>();
        Func<XElement, PaperRecord?> read;

        if (root.Name == "rss")
        {
            var channel = root.Element("channel") ?? throw new SourceFormatException("RSS feed has no <channel>");
            if (IsArxivRss(channel)) return ArxivRssParser.Parse(root);
            var feedBase = AbsoluteUri(XmlSource.Text(channel.Element("link")), null);
            items.AddRange(channel.Elements("item"));
            read = item => ReadRssItem(item, Rss2(item), feedBase);
        }
        else if (root.Name == Rdf + "RDF")
        {
            var channel = root.Element(Rss1 + "channel") ?? throw new SourceFormatException("RSS 1.0 feed has no <channel>");
            var feedBase = AbsoluteUri(XmlSource.Text(channel.Element(Rss1 + "link")), null);
            items.AddRange(root.Elements(Rss1 + "item"));
            read = item => ReadRssItem(item, n => item.Element(Rss1 + n), feedBase);
        }
        else if (root.Name == Atom + "feed")
        {
            var feedBase = BaseOf(root, null) ?? AbsoluteUri(AlternateHref(root), null);
            items.AddRange(root.Elements(Atom + "entry"));
            read = entry => ReadAtomEntry(entry, BaseOf(entry, feedBase));
        }
        else
        {
            throw new SourceFormatException($"not an RSS or Atom feed: the root element is <{root.Name.LocalName}>");
        }

        var papers = new List<PaperRecord>(items.Count);
        var untitled = 0;
        foreach (var item in items)
        {
            if (read(item) is { } paper) papers.Add(paper);
            else untitled++;
        }
        return new ParseResult(papers, untitled > 0 ? $"{untitled} item(s) without a title skipped" : null);
    }

    private static Func<string, XElement?> Rss2(XElement item) => n => item.Element(n);

    /// <summary>rss.arxiv.org: its self link or channel link is on rss.arxiv.org, or its items carry arxiv:announce_type.</summary>
    private static bool IsArxivRss(XElement channel)
    {
        var links = channel.Elements("link").Select(l => l.Value)
            .Concat(channel.Elements(Atom + "link").Select(l => (string?)l.Attribute("href") ?? ""));
        return links.Any(l => Uri.TryCreate(l.Trim(), UriKind.Absolute, out var u) && u.Host.Equals("rss.arxiv.org", StringComparison.OrdinalIgnoreCase))
            || channel.Elements("item").Any(i => i.Element(XmlSource.ArxivNs + "announce_type") is not null);
    }

    private static PaperRecord? ReadRssItem(XElement item, Func<string, XElement?> el, Uri? feedBase)
    {
        var title = HtmlToText(el("title")?.Value);
        if (title is null) return null;

        var link = AbsoluteUri(XmlSource.Text(el("link")), feedBase)?.ToString();
        var guidElement = el("guid");
        var guid = XmlSource.Text(guidElement);
        if (link is null && guid is not null && (string?)guidElement?.Attribute("isPermaLink") != "false")
            link = AbsoluteUri(guid, feedBase)?.ToString();

        var authors = item.Elements(Dc + "creator").Select(c => TextNormalizer.WhitespaceOrNull(c.Value)).OfType<string>().ToList();
        if (authors.Count == 0 && RssAuthorName(XmlSource.Text(el("author"))) is { } author) authors.Add(author);

        var published = XmlSource.ParseRfc822(XmlSource.Text(el("pubDate")))
            ?? XmlSource.ParseIso(XmlSource.Text(item.Element(Dc + "date")));

        var about = (string?)item.Attribute(Rdf + "about");
        return Record(
            title,
            abstractText: HtmlToText(XmlSource.Text(el("description")) ?? XmlSource.Text(item.Element(Content + "encoded"))),
            authors,
            published,
            link,
            idCandidates: [link, guid, about],
            doiCandidates: DoiCandidates(item).Concat([link, guid, about]));
    }

    private static PaperRecord? ReadAtomEntry(XElement entry, Uri? entryBase)
    {
        var title = AtomText(entry.Element(Atom + "title"));
        if (title is null) return null;

        var hrefs = entry.Elements(Atom + "link")
            .Select(l => (Rel: (string?)l.Attribute("rel"), Href: AbsoluteUri((string?)l.Attribute("href"), BaseOf(l, entryBase))?.ToString()))
            .Where(l => l.Href is not null)
            .ToList();
        var link = hrefs.FirstOrDefault(l => l.Rel is null or "alternate").Href;
        var id = XmlSource.Text(entry.Element(Atom + "id"));

        var authors = entry.Elements(Atom + "author").Select(a => TextNormalizer.WhitespaceOrNull(a.Element(Atom + "name")?.Value))
            .Concat(entry.Elements(Dc + "creator").Select(c => TextNormalizer.WhitespaceOrNull(c.Value)))
            .OfType<string>()
            .ToList();

        var published = XmlSource.ParseIso(XmlSource.Text(entry.Element(Atom + "published")))
            ?? XmlSource.ParseIso(XmlSource.Text(entry.Element(Atom + "updated")))
            ?? XmlSource.ParseIso(XmlSource.Text(entry.Element(Dc + "date")));

        var linkHrefs = hrefs.Select(l => l.Href);
        return Record(
            title,
            abstractText: AtomText(entry.Element(Atom + "summary")) ?? AtomText(entry.Element(Atom + "content")),
            authors,
            published,
            link,
            idCandidates: linkHrefs.Prepend(id).Prepend(link),
            doiCandidates: DoiCandidates(entry).Append(id).Concat(linkHrefs));
    }

    private static PaperRecord Record(
        string title, string? abstractText, List<string> authors, DateTimeOffset? published, string? link,
        IEnumerable<string?> idCandidates, IEnumerable<string?> doiCandidates)
    {
        string? arxivId = null;
        int? version = null;
        foreach (var candidate in idCandidates)
        {
            if (candidate is null || !PointsAtArxiv(candidate)) continue;
            if (ArxivId.TryFind(candidate, out arxivId, out version)) break;
        }

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = arxivId is null ? null : version,
            Title = title,
            Abstract = abstractText,
            Authors = authors.Count > 0 ? authors : null,
            PublishedAt = published?.UtcDateTime,
            ListDay = published is { } p ? DateOnly.FromDateTime(p.UtcDateTime) : null,
            Doi = doiCandidates.Select(XmlSource.NormalizeDoi).FirstOrDefault(d => d is not null),
            Link = link,
        };
    }

    private static bool PointsAtArxiv(string text) =>
        text.Contains("arxiv.org/", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("oai:arXiv.org:", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("arXiv:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Explicit DOI fields: dc:identifier (doi:10.…, a doi.org URL, or a bare 10.…) and prism:doi.</summary>
    private static IEnumerable<string?> DoiCandidates(XElement item) =>
        Prism.Select(ns => XmlSource.Text(item.Element(ns + "doi")))
            .Concat(item.Elements(Dc + "identifier").Select(XmlSource.Text));

    /// <summary>RSS author is "email (Name)" or just a name or an email.</summary>
    private static string? RssAuthorName(string? author)
    {
        if (author is null) return null;
        var open = author.IndexOf('(', StringComparison.Ordinal);
        var close = author.LastIndexOf(')');
        if (open >= 0 && close > open) return TextNormalizer.WhitespaceOrNull(author[(open + 1)..close]);
        return author.Contains('@', StringComparison.Ordinal) ? null : TextNormalizer.WhitespaceOrNull(author);
    }

    /// <summary>An Atom text construct: text is plain, html is escaped markup, xhtml is a div of inline markup.</summary>
    private static string? AtomText(XElement? element)
    {
        if (element is null) return null;
        return ((string?)element.Attribute("type"))?.Trim().ToLowerInvariant() switch
        {
            "html" or "text/html" => HtmlToText(element.Value),
            "xhtml" or "application/xhtml+xml" => HtmlToText(string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)))),
            _ => TextNormalizer.WhitespaceOrNull(element.Value),
        };
    }

    /// <summary>Markup to plain text with AngleSharp: tags dropped, entities decoded, block elements separated by a space.</summary>
    internal static string? HtmlToText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html)) return null;
        var parser = new HtmlParser();
        var context = parser.ParseDocument(string.Empty).Body!;
        var sb = new StringBuilder(html.Length);
        foreach (var node in parser.ParseFragment(html, context)) AppendText(node, sb);
        return TextNormalizer.WhitespaceOrNull(sb.ToString());
    }

    private static void AppendText(INode node, StringBuilder sb)
    {
        switch (node)
        {
            case IText text:
                sb.Append(text.Data);
                break;
            case IElement element when element.LocalName is "script" or "style" or "template":
                break;
            case IElement element:
                var block = BlockTags.Contains(element.LocalName);
                if (block) sb.Append(' ');
                foreach (var child in element.ChildNodes) AppendText(child, sb);
                if (block) sb.Append(' ');
                break;
        }
    }

    private static string? AlternateHref(XElement element) =>
        (string?)element.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href");

    /// <summary>The element's xml:base resolved against its parent's base.</summary>
    private static Uri? BaseOf(XElement element, Uri? parentBase)
    {
        var xmlBase = (string?)element.Attribute(XNamespace.Xml + "base");
        return xmlBase is null ? parentBase : AbsoluteUri(xmlBase, parentBase) ?? parentBase;
    }

    private static Uri? AbsoluteUri(string? href, Uri? baseUri)
    {
        if (string.IsNullOrWhiteSpace(href)) return null;
        href = href.Trim();
        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return absolute;
        if (baseUri is not null && Uri.TryCreate(baseUri, href, out var resolved)) return resolved;
        return null;
    }
}
