using System.Globalization;
using System.Xml.Linq;
using PaperFeed.Papers;
using PaperFeed.Sources.Feeds;

namespace PaperFeed.Sources.Arxiv;

/// <summary>
/// Reads an OAI-PMH ListRecords page with metadataPrefix=arXiv (export.arxiv.org/oai2), for bulk backfill.
/// Deleted records are skipped; the resumptionToken says where the next page starts (none on the last page).
/// </summary>
public static class OaiPmhParser
{
    private static readonly XNamespace Oai = "http://www.openarchives.org/OAI/2.0/";
    private static readonly XNamespace ArxivMeta = "http://arxiv.org/OAI/arXiv/";

    public static ParseResult Parse(string xml)
    {
        var root = XmlSource.LoadRoot(xml, "OAI-PMH response");
        if (root.Name != Oai + "OAI-PMH")
            throw new SourceFormatException($"not an OAI-PMH response: the root element is <{root.Name.LocalName}>");

        var errors = root.Elements(Oai + "error").ToList();
        if (errors.Count > 0)
        {
            if (errors.All(e => (string?)e.Attribute("code") == "noRecordsMatch")) return ParseResult.Empty;
            var first = errors.First(e => (string?)e.Attribute("code") != "noRecordsMatch");
            var text = TextNormalizer.WhitespaceOrNull(first.Value);
            throw new SourceFormatException($"OAI-PMH error {(string?)first.Attribute("code") ?? "(no code)"}{(text is null ? "" : $": {text}")}");
        }

        var list = root.Element(Oai + "ListRecords")
            ?? throw new SourceFormatException("OAI-PMH response has no ListRecords (another verb?)");

        var papers = new List<PaperRecord>();
        foreach (var record in list.Elements(Oai + "record"))
        {
            var header = record.Element(Oai + "header")
                ?? throw new SourceFormatException("an OAI-PMH record has no header");
            if ((string?)header.Attribute("status") == "deleted") continue;
            papers.Add(ReadRecord(record, header));
        }

        var token = list.Element(Oai + "resumptionToken");
        var size = (string?)token?.Attribute("completeListSize");
        return new ParseResult(papers)
        {
            ResumptionToken = XmlSource.Text(token),
            TotalResults = int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null,
        };
    }

    private static PaperRecord ReadRecord(XElement record, XElement header)
    {
        var identifier = XmlSource.Text(header.Element(Oai + "identifier"));
        var meta = record.Element(Oai + "metadata")?.Element(ArxivMeta + "arXiv")
            ?? throw new SourceFormatException($"record {identifier} has no arXiv metadata (was metadataPrefix=arXiv asked for?)");

        if (!ArxivId.TryFind(identifier, out var arxivId, out var version)
            && !ArxivId.TryParse(XmlSource.Text(meta.Element(ArxivMeta + "id")), out arxivId, out version))
            throw new SourceFormatException($"record '{identifier}' has no arXiv id");

        var title = TextNormalizer.WhitespaceOrNull(meta.Element(ArxivMeta + "title")?.Value)
            ?? throw new SourceFormatException($"record {arxivId} has no title");

        var authors = (meta.Element(ArxivMeta + "authors")?.Elements(ArxivMeta + "author") ?? [])
            .Select(AuthorName)
            .OfType<string>()
            .ToList();

        var categories = (XmlSource.Text(meta.Element(ArxivMeta + "categories")) ?? "")
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var created = XmlSource.ParseIso(XmlSource.Text(meta.Element(ArxivMeta + "created")));

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = version,
            Title = title,
            Abstract = TextNormalizer.WhitespaceOrNull(meta.Element(ArxivMeta + "abstract")?.Value),
            Authors = authors.Count > 0 ? authors : null,
            PublishedAt = created?.UtcDateTime,
            ListDay = null,
            Categories = categories.Count > 0 ? categories : null,
            PrimaryCategory = categories.Count > 0 ? categories[0] : null,
            Comments = TextNormalizer.WhitespaceOrNull(meta.Element(ArxivMeta + "comments")?.Value),
            JournalRef = TextNormalizer.WhitespaceOrNull(meta.Element(ArxivMeta + "journal-ref")?.Value),
            Doi = XmlSource.NormalizeDoi(meta.Element(ArxivMeta + "doi")?.Value),
            FromArxiv = true,
        };
    }

    /// <summary>"Forenames Keyname Suffix"; a collaboration has only a keyname.</summary>
    private static string? AuthorName(XElement author)
    {
        string?[] parts =
        [
            XmlSource.Text(author.Element(ArxivMeta + "forenames")),
            XmlSource.Text(author.Element(ArxivMeta + "keyname")),
            XmlSource.Text(author.Element(ArxivMeta + "suffix")),
        ];
        return TextNormalizer.WhitespaceOrNull(string.Join(' ', parts.OfType<string>()));
    }
}
