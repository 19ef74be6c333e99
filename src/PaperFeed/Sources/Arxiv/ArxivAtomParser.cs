using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using PaperFeed.Papers;
using PaperFeed.Sources.Feeds;

namespace PaperFeed.Sources.Arxiv;

/// <summary>
/// Reads the arXiv export API's Atom (export.arxiv.org/api/query): both the legacy format (inline namespaces,
/// hard-wrapped text, until late 2025) and the current one (root namespaces, https links). Elements are selected
/// by namespace URI. Results are search results, not a daily list, so ListDay stays null.
/// </summary>
public static class ArxivAtomParser
{
    private static readonly XNamespace Atom = XmlSource.Atom;
    private static readonly XNamespace Arxiv = XmlSource.ArxivNs;
    private static readonly XNamespace OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";

    public static ParseResult Parse(string xml)
    {
        var feed = XmlSource.LoadRoot(xml, "arXiv API response");
        if (feed.Name != Atom + "feed")
            throw new SourceFormatException($"not an Atom feed: the root element is <{feed.Name.LocalName}>");

        var entries = feed.Elements(Atom + "entry").ToList();
        foreach (var entry in entries) ThrowOnApiError(entry);

        var total = XmlSource.Text(feed.Element(OpenSearch + "totalResults"));
        return new ParseResult(entries.Select(ReadEntry).ToList())
        {
            TotalResults = int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
        };
    }

    private static void ThrowOnApiError(XElement entry)
    {
        var id = XmlSource.Text(entry.Element(Atom + "id"));
        if (id is not null && id.Contains("arxiv.org/api/errors", StringComparison.OrdinalIgnoreCase))
        {
            var summary = TextNormalizer.WhitespaceOrNull(entry.Element(Atom + "summary")?.Value) ?? id;
            throw new SourceFormatException($"{ApiErrorPrefix}{summary}");
        }
    }

    private const string ApiErrorPrefix = "arXiv API error: ";

    /// <summary>Whether the failure is the API's own error entry (an id it cannot read), not an unreadable answer.</summary>
    public static bool IsApiError(SourceFormatException ex) => ex.Message.StartsWith(ApiErrorPrefix, StringComparison.Ordinal);

    /// <summary>
    /// The same records as <see cref="Parse"/>, read one entry at a time: an import of a large file holds one
    /// entry in memory, not the file. Problems surface as <see cref="SourceFormatException"/> while enumerating.
    /// </summary>
    public static IEnumerable<PaperRecord> ReadEntries(TextReader text)
    {
        using var reader = XmlReader.Create(text, XmlSource.ReaderSettings);
        Guard(() => reader.MoveToContent());
        if (reader.LocalName != "feed" || reader.NamespaceURI != Atom.NamespaceName)
            throw new SourceFormatException($"not an Atom feed: the root element is <{reader.LocalName}>");
        while (Guard(() => NextEntry(reader)) is { } entry)
        {
            ThrowOnApiError(entry);
            yield return ReadEntry(entry);
        }
    }

    private static XElement? NextEntry(XmlReader reader)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName == "entry" && reader.NamespaceURI == Atom.NamespaceName)
                return (XElement)XNode.ReadFrom(reader);
            reader.Read();
        }
        return null;
    }

    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException ex)
        {
            throw new SourceFormatException($"malformed XML in arXiv API response: {ex.Message}", ex);
        }
    }

    private static PaperRecord ReadEntry(XElement entry)
    {
        var idText = XmlSource.Text(entry.Element(Atom + "id"));
        if (!ArxivId.TryFind(idText, out var arxivId, out var version))
            throw new SourceFormatException($"an entry's id is not an arXiv abs URL: '{idText}'");

        var title = TextNormalizer.WhitespaceOrNull(entry.Element(Atom + "title")?.Value)
            ?? throw new SourceFormatException($"entry {arxivId} has no title");

        var primary = entry.Element(Arxiv + "primary_category")?.Attribute("term")?.Value.Trim();
        var terms = entry.Elements(Atom + "category")
            .Select(c => c.Attribute("term")?.Value.Trim())
            .OfType<string>()
            .Where(t => t.Length > 0);
        if (!string.IsNullOrEmpty(primary)) terms = terms.Prepend(primary);
        var categories = terms.Distinct(StringComparer.Ordinal).ToList();

        var authors = entry.Elements(Atom + "author")
            .Select(a => TextNormalizer.WhitespaceOrNull(a.Element(Atom + "name")?.Value))
            .OfType<string>()
            .ToList();

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = version,
            Title = title,
            Abstract = TextNormalizer.WhitespaceOrNull(entry.Element(Atom + "summary")?.Value),
            Authors = authors.Count > 0 ? authors : null,
            PublishedAt = XmlSource.ParseIso(entry.Element(Atom + "published")?.Value)?.UtcDateTime,
            ListDay = null,
            Categories = categories.Count > 0 ? categories : null,
            PrimaryCategory = categories.Count > 0 ? categories[0] : null,
            Comments = TextNormalizer.WhitespaceOrNull(entry.Element(Arxiv + "comment")?.Value),
            JournalRef = TextNormalizer.WhitespaceOrNull(entry.Element(Arxiv + "journal_ref")?.Value),
            Doi = XmlSource.NormalizeDoi(entry.Element(Arxiv + "doi")?.Value),
            FromArxiv = true,
        };
    }
}
