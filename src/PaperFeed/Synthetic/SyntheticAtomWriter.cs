using System.Globalization;
using System.Xml;
using PaperFeed.Papers;

namespace PaperFeed.Synthetic;

/// <summary>
/// Writes synthetic papers as arXiv API Atom pages (what export.arxiv.org/api/query returns), the input of
/// `import` at scale: only what arXiv itself says of a paper (no Hugging Face fields, no daily list).
/// </summary>
public static class SyntheticAtomWriter
{
    private const string Atom = "http://www.w3.org/2005/Atom";
    private const string ArxivNs = "http://arxiv.org/schemas/atom";
    private const string OpenSearch = "http://a9.com/-/spec/opensearch/1.1/";

    /// <returns>The files written, in order.</returns>
    public static List<string> Write(SyntheticCatalog catalog, SyntheticSources sources, string folder, int perFile, Action<int>? progress = null)
    {
        Directory.CreateDirectory(folder);
        var files = new List<string>();
        for (var start = 0; start < catalog.Count; start += perFile)
        {
            var count = Math.Min(perFile, catalog.Count - start);
            var path = Path.Combine(folder, $"arxiv-synthetic-{start / perFile + 1:000000}.xml");
            using (var writer = XmlWriter.Create(path, new XmlWriterSettings { Indent = true }))
            {
                writer.WriteStartDocument();
                writer.WriteStartElement("feed", Atom);
                writer.WriteAttributeString("xmlns", "opensearch", null, OpenSearch);
                writer.WriteAttributeString("xmlns", "arxiv", null, ArxivNs);
                writer.WriteElementString("id", Atom, $"https://arxiv.org/api/synthetic/{start}");
                writer.WriteElementString("title", Atom, $"arXiv Query: synthetic papers {start + 1}-{start + count}");
                writer.WriteElementString("totalResults", OpenSearch, catalog.Count.ToString(CultureInfo.InvariantCulture));
                writer.WriteElementString("startIndex", OpenSearch, start.ToString(CultureInfo.InvariantCulture));
                writer.WriteElementString("itemsPerPage", OpenSearch, count.ToString(CultureInfo.InvariantCulture));
                for (var i = start; i < start + count; i++) WriteEntry(writer, catalog.Generate(i, sources).Paper);
                writer.WriteEndElement();
            }
            files.Add(path);
            progress?.Invoke(start + count);
        }
        return files;
    }

    private static void WriteEntry(XmlWriter writer, Paper paper)
    {
        var id = $"{paper.ArxivId}v{paper.Version ?? 1}";
        writer.WriteStartElement("entry", Atom);
        writer.WriteElementString("id", Atom, $"http://arxiv.org/abs/{id}");
        writer.WriteElementString("title", Atom, paper.Title);
        writer.WriteElementString("updated", Atom, Iso(paper.UpdatedAt));
        writer.WriteStartElement("link", Atom);
        writer.WriteAttributeString("href", $"https://arxiv.org/abs/{id}");
        writer.WriteAttributeString("rel", "alternate");
        writer.WriteEndElement();
        writer.WriteElementString("summary", Atom, paper.Abstract);
        foreach (var category in paper.Categories)
        {
            writer.WriteStartElement("category", Atom);
            writer.WriteAttributeString("term", category);
            writer.WriteAttributeString("scheme", ArxivNs);
            writer.WriteEndElement();
        }
        writer.WriteElementString("published", Atom, Iso(paper.PublishedAt!.Value));
        if (paper.Comments is not null) writer.WriteElementString("comment", ArxivNs, paper.Comments);
        if (paper.JournalRef is not null) writer.WriteElementString("journal_ref", ArxivNs, paper.JournalRef);
        if (paper.Doi is not null) writer.WriteElementString("doi", ArxivNs, paper.Doi);
        writer.WriteStartElement("primary_category", ArxivNs);
        writer.WriteAttributeString("term", paper.PrimaryCategory);
        writer.WriteEndElement();
        foreach (var author in paper.Authors)
        {
            writer.WriteStartElement("author", Atom);
            writer.WriteElementString("name", Atom, author);
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    private static string Iso(DateTime value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
