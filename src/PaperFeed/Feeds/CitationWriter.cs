using System.Globalization;
using System.Text;
using System.Text.Json;
using PaperFeed.Papers;

namespace PaperFeed.Feeds;

/// <summary>
/// A list of papers for a reference manager: BibTeX (arXiv's @misc shape, keys unique in the file), RIS (one record per
/// paper, CRLF lines, "ER" closing each) and CSL-JSON (the array of items citeproc and Zotero read, type "article").
/// </summary>
public static class CitationWriter
{
    public static string BibTeXFile(IReadOnlyList<Paper> papers)
    {
        var keys = BibTeX.UniqueKeys(papers);
        return string.Join("\n\n", papers.Select((paper, i) => BibTeX.Format(paper, keys[i]))) + "\n";
    }

    /// <summary>RIS as Zotero, Mendeley and EndNote import it: "TAG  - value", a preprint is UNPB (unpublished work).</summary>
    public static string Ris(IReadOnlyList<Paper> papers, string baseUrl)
    {
        var keys = BibTeX.UniqueKeys(papers);
        var text = new StringBuilder();
        for (var i = 0; i < papers.Count; i++)
        {
            var paper = papers[i];
            void Tag(string tag, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value)) text.Append(tag).Append("  - ").Append(OneLine(value)).Append("\r\n");
            }
            Tag("TY", "UNPB");
            Tag("ID", keys[i]);
            Tag("TI", paper.Title);
            foreach (var author in paper.Authors)
            {
                var name = PersonName.Parse(author);
                Tag("AU", name.Given is null ? name.Family : $"{name.Family}, {name.Given}");
            }
            if (paper.PublishedAt is { } published)
            {
                Tag("PY", published.Year.ToString(CultureInfo.InvariantCulture));
                Tag("DA", published.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture));
            }
            Tag("AB", paper.Abstract);
            Tag("UR", Url(paper, baseUrl));
            Tag("L1", paper.PdfUrl);
            Tag("DO", paper.Doi);
            if (paper.ArxivId is not null)
            {
                Tag("PB", "arXiv");
                Tag("M1", "arXiv:" + paper.ArxivId);
            }
            foreach (var category in paper.Categories) Tag("KW", category);
            text.Append("ER  - \r\n\r\n");
        }
        return text.ToString();
    }

    /// <summary>CSL-JSON (citation-style-language/schema, csl-data.json): only properties the schema knows, required id and type.</summary>
    public static string Csl(IReadOnlyList<Paper> papers, string baseUrl)
    {
        var keys = BibTeX.UniqueKeys(papers);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            for (var i = 0; i < papers.Count; i++)
            {
                var paper = papers[i];
                w.WriteStartObject();
                w.WriteString("id", keys[i]);
                w.WriteString("type", "article");
                w.WriteString("title", paper.Title);
                if (paper.Authors.Count > 0)
                {
                    w.WriteStartArray("author");
                    foreach (var author in paper.Authors)
                    {
                        var name = PersonName.Parse(author);
                        w.WriteStartObject();
                        w.WriteString("family", name.Family);
                        if (name.Given is not null) w.WriteString("given", name.Given);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                if (paper.PublishedAt is { } published)
                {
                    w.WriteStartObject("issued");
                    w.WriteStartArray("date-parts");
                    w.WriteStartArray();
                    w.WriteNumberValue(published.Year);
                    w.WriteNumberValue(published.Month);
                    w.WriteNumberValue(published.Day);
                    w.WriteEndArray();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                if (paper.Abstract is not null) w.WriteString("abstract", paper.Abstract);
                w.WriteString("URL", Url(paper, baseUrl));
                if (paper.Doi is not null) w.WriteString("DOI", paper.Doi);
                if (paper.ArxivId is not null)
                {
                    // Zotero's shape for a preprint: the repository as publisher, its id as number ("arXiv:2401.12345").
                    w.WriteString("publisher", "arXiv");
                    w.WriteString("number", "arXiv:" + paper.ArxivId);
                    w.WriteString("genre", "Preprint");
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Url(Paper paper, string baseUrl) =>
        paper.ArxivUrl ?? (paper.Doi is null ? baseUrl + PaperLinks.PagePath(paper.Key, paper.Title) : "https://doi.org/" + paper.Doi);

    // A RIS value is one line: a folded abstract keeps its words, not its line breaks.
    private static string OneLine(string value) => string.Join(' ', value.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}

/// <summary>A display name split for citations: "Ludwig van Beethoven" → given "Ludwig", family "van Beethoven".</summary>
public sealed record PersonName(string Family, string? Given)
{
    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "des", "dos", "das", "la", "le", "ten", "ter", "bin", "al", "el",
    };

    /// <summary>The last word is the family name, with the lower-case particles just before it; "Family, Given" is kept as written.</summary>
    public static PersonName Parse(string name)
    {
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        if (comma > 0) return new(name[..comma].Trim(), NullIfEmpty(name[(comma + 1)..].Trim()));
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length <= 1) return new(name.Trim(), null);
        var first = words.Length - 1;
        while (first > 1 && Particles.Contains(words[first - 1])) first--;
        return new(string.Join(' ', words[first..]), string.Join(' ', words[..first]));
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
