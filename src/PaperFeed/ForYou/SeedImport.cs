using System.Text.RegularExpressions;
using PaperFeed.Papers;

namespace PaperFeed.ForYou;

/// <summary>
/// Seed papers out of what a reader pastes or uploads (pure): arXiv ids and abs/pdf links, or a BibTeX or RIS export (e.g.
/// Zotero's, Better BibTeX's). Per entry, the arXiv id from <c>eprint</c> / <c>arxiv</c> / <c>arxivid</c>, an arxiv.org
/// <c>url</c>, an arXiv DOI (10.48550/arXiv.…) or an "arXiv:…" note; an entry without one gives its DOI, which the catalog
/// may know. Only these fields are read, so titles and abstracts with nested braces never need a full BibTeX grammar.
/// </summary>
public static partial class SeedImport
{
    public sealed record Found(List<string> ArxivIds, List<string> Dois, int Entries);

    public static Found Parse(string? text)
    {
        text ??= "";
        var entries = BibEntry().IsMatch(text) ? BibEntries(text)
            : RisLine().IsMatch(text) ? RisEntries(text)
            : text.Split([' ', '\n', '\r', '\t', ','], StringSplitOptions.RemoveEmptyEntries).Select(t => new List<string> { t }).ToList();
        List<string> ids = [], dois = [];
        var counted = 0;
        foreach (var fields in entries)
        {
            counted++;
            if (fields.Select(Arxiv).FirstOrDefault(id => id is not null) is { } id) ids.Add(id);
            else if (fields.Select(f => Doi().Match(f)).FirstOrDefault(m => m.Success) is { } doi) dois.Add(doi.Value.ToLowerInvariant());
        }
        return new Found([.. ids.Distinct(StringComparer.Ordinal)], [.. dois.Distinct(StringComparer.Ordinal)], counted);
    }

    private static string? Arxiv(string value)
    {
        var doi = ArxivDoi().Match(value);
        if (doi.Success && ArxivId.TryParse(doi.Groups["id"].Value, out var fromDoi, out _)) return fromDoi;
        return ArxivId.TryFind(value.Trim(), out var id, out _) ? id : null;
    }

    // The fields that can hold an arXiv id or a DOI, one entry each; in BibTeX a value is {…} (one level of braces inside
    // is allowed), "…" or a bare word.
    private static List<List<string>> BibEntries(string text) =>
        BibEntry().Split(text).Skip(1).Select(entry => BibField().Matches(entry)
            .Select(m => m.Groups["brace"].Success ? m.Groups["brace"].Value : m.Groups["quote"].Success ? m.Groups["quote"].Value : m.Groups["bare"].Value)
            .ToList()).ToList();

    private static List<List<string>> RisEntries(string text)
    {
        List<List<string>> entries = [];
        List<string> current = [];
        foreach (var line in text.Split('\n'))
        {
            var m = RisLine().Match(line.TrimEnd('\r'));
            if (!m.Success) continue;
            if (m.Groups["tag"].Value == "ER")
            {
                entries.Add(current);
                current = [];
            }
            else if (m.Groups["tag"].Value is "UR" or "DO" or "L1" or "L2" or "N1" or "M1" or "AN" or "ID") current.Add(m.Groups["value"].Value);
        }
        if (current.Count > 0) entries.Add(current);
        return entries;
    }

    [GeneratedRegex(@"@\w+\s*[{(]", RegexOptions.CultureInvariant)]
    private static partial Regex BibEntry();

    [GeneratedRegex("""(?<![\w-])(?:eprint|arxiv|arxivid|url|doi|note|howpublished)\s*=\s*(?:\{(?<brace>(?:[^{}]|\{[^{}]*\})*)\}|"(?<quote>[^"]*)"|(?<bare>[\w.:/-]+))""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BibField();

    [GeneratedRegex(@"^(?<tag>[A-Z][A-Z0-9])  -(?: (?<value>.*))?$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RisLine();

    [GeneratedRegex(@"10\.48550/arxiv\.(?<id>[^\s}""]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivDoi();

    [GeneratedRegex(@"10\.\d{4,9}/[^\s}""]+", RegexOptions.CultureInvariant)]
    private static partial Regex Doi();
}
