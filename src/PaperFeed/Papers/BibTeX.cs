using System.Globalization;
using System.Text;

namespace PaperFeed.Papers;

/// <summary>How to cite a paper: a BibTeX @misc entry in arXiv's own shape, and a one-line plain-text citation.</summary>
public static class BibTeX
{
    public static string Format(Paper paper)
    {
        var fields = new List<(string Name, string Value)> { ("title", Escape(paper.Title)) };
        if (paper.Authors.Count > 0) fields.Add(("author", string.Join(" and ", paper.Authors.Select(Escape))));
        if (paper.PublishedAt is { } published) fields.Add(("year", published.Year.ToString(CultureInfo.InvariantCulture)));
        if (paper.ArxivId is not null)
        {
            fields.Add(("eprint", paper.ArxivId));
            fields.Add(("archivePrefix", "arXiv"));
            if (paper.PrimaryCategory is not null) fields.Add(("primaryClass", Escape(paper.PrimaryCategory)));
        }
        if (paper.Doi is not null) fields.Add(("doi", Escape(paper.Doi)));
        if (Url(paper) is { } url) fields.Add(("url", url));

        var text = new StringBuilder();
        text.Append("@misc{").Append(Key(paper)).Append(",\n");
        for (var i = 0; i < fields.Count; i++)
            text.Append("  ").Append(fields[i].Name).Append(" = {").Append(fields[i].Value).Append('}').Append(i < fields.Count - 1 ? ",\n" : "\n");
        return text.Append('}').ToString();
    }

    /// <summary>"A, B and C. Title. arXiv:2401.12345 [cs.CL], 2024." — for pasting where BibTeX is not understood.</summary>
    public static string PlainCitation(Paper paper)
    {
        var text = new StringBuilder();
        if (paper.Authors.Count > 0)
        {
            text.Append(paper.Authors.Count == 1 ? paper.Authors[0]
                : string.Join(", ", paper.Authors.Take(paper.Authors.Count - 1)) + " and " + paper.Authors[^1]);
            text.Append(". ");
        }
        text.Append(paper.Title.TrimEnd('.')).Append('.');
        if (paper.ArxivId is not null)
        {
            text.Append(" arXiv:").Append(paper.ArxivId);
            if (paper.PrimaryCategory is not null) text.Append(" [").Append(paper.PrimaryCategory).Append(']');
        }
        else if (paper.Doi is not null) text.Append(" doi:").Append(paper.Doi);
        if (paper.PublishedAt is { } published)
            text.Append(paper.ArxivId is null && paper.Doi is null ? " " : ", ").Append(published.Year.ToString(CultureInfo.InvariantCulture));
        return text.Append('.').ToString();
    }

    /// <summary>The citation key: first author's family name, year, first significant title word ("lovelace2026sparse").</summary>
    public static string Key(Paper paper)
    {
        var author = paper.Authors.Count > 0 ? KeyPart(paper.Authors[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()) : "";
        var year = paper.PublishedAt?.Year.ToString(CultureInfo.InvariantCulture) ?? "";
        var word = paper.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(KeyPart)
            .FirstOrDefault(w => w.Length > 3 && !Related.TextVectorizer.IsStopWord(w)) ?? "";
        var key = author + year + word;
        return key.Length > 0 ? key : "paper" + (paper.ArxivId ?? paper.Id.ToString(CultureInfo.InvariantCulture)).Replace('/', '_');
    }

    /// <summary>Escapes LaTeX's special characters so a title prints as written: \ { } &amp; % $ # _ ^ ~.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\textbackslash{}"); break;
                case '{' or '}' or '&' or '%' or '$' or '#' or '_': escaped.Append('\\').Append(c); break;
                case '^': escaped.Append(@"\^{}"); break;
                case '~': escaped.Append(@"\~{}"); break;
                default: escaped.Append(c); break;
            }
        }
        return escaped.ToString();
    }

    private static string? Url(Paper paper) =>
        paper.ArxivUrl ?? (paper.Doi is null ? null : "https://doi.org/" + paper.Doi);

    // ASCII letters only, lower-case: keys must survive every BibTeX tool ("Gödel" → "gdel" is ugly, so fold accents first).
    private static string KeyPart(string? word)
    {
        if (word is null) return "";
        var folded = word.Normalize(NormalizationForm.FormD);
        var part = new StringBuilder();
        foreach (var c in folded)
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z') part.Append(char.ToLowerInvariant(c));
        return part.ToString();
    }
}
