using System.Globalization;
using System.Text;

namespace PaperFeed.Papers;

/// <summary>How to cite a paper: a BibTeX @misc entry in arXiv's own shape, and a one-line plain-text citation.</summary>
public static class BibTeX
{
    public static string Format(Paper paper) => Format(paper, Key(paper));

    /// <summary>The entry under a given key: a list export makes its keys unique first (<see cref="UniqueKeys"/>).</summary>
    public static string Format(Paper paper, string key)
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
        text.Append("@misc{").Append(key).Append(",\n");
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

    /// <summary>
    /// One key per paper, unique within the list: the second "smith2024learning" becomes "smith2024learningb", the
    /// third "…c" (as Google Scholar and arXiv's own exports do), so a .bib file of a whole view loads without clashes.
    /// </summary>
    public static IReadOnlyList<string> UniqueKeys(IEnumerable<Paper> papers)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = new List<string>();
        foreach (var paper in papers)
        {
            var key = Key(paper);
            var unique = key;
            for (var n = 1; !used.Add(unique); n++) unique = key + Suffix(n);
            keys.Add(unique);
        }
        return keys;
    }

    // b, c, …, z, ba, bb, …: letters only, so the key stays a plain word.
    private static string Suffix(int n) => n < 26 ? ((char)('a' + n)).ToString() : Suffix(n / 26) + (char)('a' + n % 26);

    /// <summary>
    /// Text as LaTeX that prints it as written. Titles on arXiv are TeX and the site renders their <c>$…$</c> as
    /// math, so a math span (an opening <c>$</c> followed by no space, a closing one preceded by no space, braces
    /// balanced inside) is kept verbatim; elsewhere \ { } &amp; % $ # _ ^ ~ are escaped, and accented Latin letters
    /// become accent commands (é → {\'e}, ß → {\ss}) so that classic BibTeX, which reads bytes, sorts and prints them.
    /// Other letters (Greek, CJK) stay UTF-8 for biber and modern engines.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        // A lone brace cannot be \{ in BibTeX, which counts braces even after a backslash: spell it out then.
        var braces = Balanced(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '$' && MathEnd(text, i) is { } end)
            {
                escaped.Append(text, i, end - i + 1);
                i = end;
                continue;
            }
            switch (c)
            {
                case '\\': escaped.Append(@"\textbackslash{}"); break;
                case '{': escaped.Append(braces ? @"\{" : @"\textbraceleft{}"); break;
                case '}': escaped.Append(braces ? @"\}" : @"\textbraceright{}"); break;
                case '&' or '%' or '$' or '#' or '_': escaped.Append('\\').Append(c); break;
                case '^': escaped.Append(@"\^{}"); break;
                case '~': escaped.Append(@"\~{}"); break;
                case < (char)128: escaped.Append(c); break;
                default: escaped.Append(Accented(c)); break;
            }
        }
        return escaped.ToString();
    }

    /// <summary>Where the math span opened at <paramref name="start"/> closes, or null when this $ is a plain dollar.</summary>
    private static int? MathEnd(string text, int start)
    {
        if (start + 1 >= text.Length || char.IsWhiteSpace(text[start + 1]) || text[start + 1] == '$') return null;
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] != '$') continue;
            if (char.IsWhiteSpace(text[i - 1])) return null;
            return Balanced(text[(start + 1)..i]) ? i : null;
        }
        return null;
    }

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text)
        {
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0) return false;
        }
        return depth == 0;
    }

    private static readonly Dictionary<char, string> Letters = new()
    {
        ['ß'] = @"{\ss}", ['ø'] = @"{\o}", ['Ø'] = @"{\O}", ['æ'] = @"{\ae}", ['Æ'] = @"{\AE}", ['œ'] = @"{\oe}", ['Œ'] = @"{\OE}",
        ['ł'] = @"{\l}", ['Ł'] = @"{\L}", ['ı'] = @"{\i}", ['đ'] = @"{\dj}", ['Đ'] = @"{\DJ}",
    };

    private static readonly Dictionary<char, string> Accents = new()
    {
        ['\u0301'] = "'", ['\u0300'] = "`", ['\u0302'] = "^", ['\u0308'] = "\"", ['\u0303'] = "~", ['\u0304'] = "=", ['\u0307'] = ".",
        ['\u0327'] = "c", ['\u030C'] = "v", ['\u030A'] = "r", ['\u0306'] = "u", ['\u030B'] = "H", ['\u0328'] = "k",
    };

    // "é" → "{\'e}", "ç" → "{\c{c}}": one accent on an ASCII letter; anything else stays as it is.
    private static string Accented(char c)
    {
        if (Letters.TryGetValue(c, out var letter)) return letter;
        var parts = c.ToString().Normalize(NormalizationForm.FormD);
        if (parts.Length != 2 || parts[0] >= 128 || !char.IsAsciiLetter(parts[0]) || !Accents.TryGetValue(parts[1], out var accent))
            return c.ToString();
        return char.IsAsciiLetter(accent[0]) ? $"{{\\{accent}{{{parts[0]}}}}}" : $"{{\\{accent}{parts[0]}}}";
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
