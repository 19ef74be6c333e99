using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PaperFeed.Papers;
using PaperFeed.Sources.Feeds;

namespace PaperFeed.Sources.Arxiv;

/// <summary>
/// Reads rss.arxiv.org's daily announcement feed: RSS 2.0 (/rss/{cat}) and its Atom variant (/atom/{cat}).
/// The feed is rebuilt at midnight US-Eastern, so its days are New York dates; on weekends and holidays it has no items.
/// </summary>
public static partial class ArxivRssParser
{
    private static readonly XNamespace Atom = XmlSource.Atom;
    private static readonly XNamespace Arxiv = XmlSource.ArxivNs;
    private static readonly XNamespace Dc = XmlSource.Dc;
    private static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";

    // "arXiv:2604.21935v1 Announce Type: new \nAbstract: ..."
    [GeneratedRegex(@"^\s*arXiv:(?<id>\S+)\s+Announce Type:\s*(?<type>[A-Za-z\-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionPrefix();

    public static ParseResult Parse(string xml) => Parse(XmlSource.LoadRoot(xml, "arXiv RSS feed"));

    internal static ParseResult Parse(XElement root)
    {
        if (root.Name == "rss")
        {
            var channel = root.Element("channel") ?? throw new SourceFormatException("RSS feed has no <channel>");
            var day = ChannelDay(XmlSource.Text(channel.Element("pubDate")), XmlSource.Text(channel.Element("lastBuildDate")));
            var papers = channel.Elements("item").Select(item => ReadItem(
                title: item.Element("title")?.Value,
                guid: XmlSource.Text(item.Element("guid")),
                link: XmlSource.Text(item.Element("link")),
                description: item.Element("description")?.Value,
                authors: SplitAuthors(string.Join(", ", item.Elements(Dc + "creator").Select(c => c.Value))),
                categories: item.Elements("category").Select(c => c.Value),
                date: XmlSource.ParseRfc822(XmlSource.Text(item.Element("pubDate"))),
                fallbackDay: day,
                item: item)).ToList();
            return new ParseResult(papers) { Day = day };
        }

        if (root.Name == Atom + "feed")
        {
            if (root.Element(OpenSearch + "totalResults") is not null)
                throw new SourceFormatException("this is an arXiv export API response, not an rss.arxiv.org feed");
            var updated = XmlSource.ParseIso(XmlSource.Text(root.Element(Atom + "updated")));
            DateOnly? day = updated is { } u ? XmlSource.NewYorkDate(u) : null;
            var papers = root.Elements(Atom + "entry").Select(entry =>
            {
                var names = entry.Elements(Atom + "author").Select(a => a.Element(Atom + "name")?.Value).OfType<string>().ToList();
                var authors = names.Count > 0
                    ? names.Select(TextNormalizer.WhitespaceOrNull).OfType<string>().ToList()
                    : SplitAuthors(string.Join(", ", entry.Elements(Dc + "creator").Select(c => c.Value)));
                return ReadItem(
                    title: entry.Element(Atom + "title")?.Value,
                    guid: XmlSource.Text(entry.Element(Atom + "id")),
                    link: entry.Elements(Atom + "link").FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate")?.Attribute("href")?.Value,
                    description: entry.Element(Atom + "summary")?.Value,
                    authors: authors,
                    categories: entry.Elements(Atom + "category").Select(c => c.Attribute("term")?.Value ?? ""),
                    date: XmlSource.ParseIso(XmlSource.Text(entry.Element(Atom + "published")) ?? XmlSource.Text(entry.Element(Atom + "updated"))),
                    fallbackDay: day,
                    item: entry);
            }).ToList();
            return new ParseResult(papers) { Day = day };
        }

        throw new SourceFormatException($"not an arXiv RSS or Atom feed: the root element is <{root.Name.LocalName}>");
    }

    private static DateOnly? ChannelDay(string? pubDate, string? lastBuildDate)
    {
        var instant = XmlSource.ParseRfc822(pubDate) ?? XmlSource.ParseRfc822(lastBuildDate);
        return instant is { } i ? XmlSource.NewYorkDate(i) : null;
    }

    private static PaperRecord ReadItem(
        string? title, string? guid, string? link, string? description, IReadOnlyList<string> authors,
        IEnumerable<string> categories, DateTimeOffset? date, DateOnly? fallbackDay, XElement item)
    {
        var prefix = DescriptionPrefix().Match(description ?? "");
        string? arxivId;
        int? version;
        if (!ArxivId.TryFind(guid, out arxivId, out version)
            && !(prefix.Success && ArxivId.TryParse(prefix.Groups["id"].Value, out arxivId, out version))
            && !ArxivId.TryFind(link, out arxivId, out version))
            throw new SourceFormatException($"an item has no arXiv id (guid '{guid}', link '{link}')");

        var normalizedTitle = TextNormalizer.WhitespaceOrNull(title)
            ?? throw new SourceFormatException($"item {arxivId} has no title");

        var announceType = XmlSource.Text(item.Element(Arxiv + "announce_type"))
            ?? (prefix.Success ? prefix.Groups["type"].Value : null);

        var categoryList = categories.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = version,
            Title = normalizedTitle,
            Abstract = AbstractOf(description, prefix),
            Authors = authors.Count > 0 ? authors : null,
            ListDay = date is { } d ? XmlSource.NewYorkDate(d) : fallbackDay,
            Categories = categoryList.Count > 0 ? categoryList : null,
            PrimaryCategory = categoryList.Count > 0 ? categoryList[0] : null,
            Doi = XmlSource.NormalizeDoi(item.Element(Arxiv + "DOI")?.Value),
            JournalRef = TextNormalizer.WhitespaceOrNull(item.Element(Arxiv + "journal_reference")?.Value),
            AnnounceType = announceType?.ToLowerInvariant(),
            FromArxiv = true,
        };
    }

    private static string? AbstractOf(string? description, Match prefix)
    {
        if (string.IsNullOrWhiteSpace(description)) return null;
        const string marker = "Abstract:";
        var at = description.IndexOf(marker, StringComparison.Ordinal);
        var text = at >= 0 ? description[(at + marker.Length)..]
            : prefix.Success ? description[(prefix.Index + prefix.Length)..]
            : description;
        return TextNormalizer.WhitespaceOrNull(text);
    }

    /// <summary>
    /// Splits dc:creator ("A. Smith (MIT, Cambridge), B. Jones and C. Wu") into names: affiliations in parentheses
    /// (nested too) are dropped, commas inside them never split, and " and " before the last author is a separator.
    /// </summary>
    public static IReadOnlyList<string> SplitAuthors(string? creators)
    {
        if (string.IsNullOrWhiteSpace(creators)) return [];
        var withoutAffiliations = new StringBuilder(creators.Length);
        var depth = 0;
        foreach (var c in creators)
        {
            if (c == '(') { depth++; continue; }
            if (c == ')') { if (depth > 0) depth--; continue; }
            if (depth == 0) withoutAffiliations.Append(c);
        }

        var names = new List<string>();
        foreach (var part in withoutAffiliations.ToString().Split(','))
        {
            foreach (var piece in TextNormalizer.Whitespace(part).Split(" and ", StringSplitOptions.None))
            {
                var name = piece.StartsWith("and ", StringComparison.Ordinal) ? piece[4..] : piece;
                name = name.Trim();
                if (name.Length > 0 && name != "and") names.Add(name);
            }
        }
        return names;
    }
}
