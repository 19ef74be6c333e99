using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaperFeed.Feeds;
using PaperFeed.Papers;

namespace PaperFeed.Tests.Feeds;

/// <summary>BibTeX, RIS and CSL-JSON of a list: each parses, and a title with LaTeX, braces, specials and accents comes back as written.</summary>
public sealed partial class CitationWriterTests
{
    private const string HardTitle = "Learning $\\alpha$-Divergences {}for Café & 100% of $O(n^{2})$ Naïve Gödel_Nets #1 ~ça";

    private static Paper Hard() => new()
    {
        Id = 1, Key = "2606.01001", ArxivId = "2606.01001", Title = HardTitle, NormalizedTitle = "x",
        Authors = ["José Martínez", "Ludwig van Beethoven", "Plato"], Abstract = "Line one\nline two.",
        PublishedAt = new DateTime(2026, 6, 12, 0, 0, 0, DateTimeKind.Utc), PrimaryCategory = "cs.LG", Categories = ["cs.LG", "stat.ML"],
        Doi = "10.1000/xyz",
    };

    // Same first author, year and first word: the keys must still differ.
    private static Paper Twin(long id) => new()
    {
        Id = id, Key = $"2606.0100{id}", ArxivId = $"2606.0100{id}", Title = "Learning things " + id, NormalizedTitle = "x",
        Authors = ["José Martínez"], PublishedAt = new DateTime(2026, 6, 12, 0, 0, 0, DateTimeKind.Utc),
    };

    private static readonly Paper[] List = [Hard(), Twin(2), Twin(3)];

    [Fact]
    public void BibTeX_parses_has_unique_keys_and_round_trips_latex_and_accents()
    {
        var entries = ReadBibTeX(CitationWriter.BibTeXFile(List));

        Assert.Equal(3, entries.Count);
        Assert.Equal(new[] { "martinez2026learning", "martinez2026learningb", "martinez2026learningc" }, entries.Select(e => e.Key));
        Assert.Equal(HardTitle, FromLatex(entries[0].Fields["title"]));
        Assert.Equal("José Martínez and Ludwig van Beethoven and Plato", FromLatex(entries[0].Fields["author"]));
        Assert.Contains(@"$\alpha$", entries[0].Fields["title"]); // math stays math
        Assert.Contains(@"Caf{\'e}", entries[0].Fields["title"]);  // classic BibTeX reads bytes: accents as commands
        Assert.Equal("2606.01001", entries[0].Fields["eprint"]);
        Assert.Equal("10.1000/xyz", entries[0].Fields["doi"]);
    }

    [Theory]
    [InlineData("Cost of $5 and $10 models")]  // dollars, not math: "$5 and $" has a space before its closing $
    [InlineData("A lone { brace")]             // BibTeX counts braces even after \: a lone one is spelled out
    [InlineData(@"Back\slash and ^~ marks")]
    [InlineData("Ærø Łódź Straße 数学 α")]
    public void Escape_round_trips_and_keeps_braces_balanced(string title)
    {
        var escaped = BibTeX.Escape(title);
        Assert.Equal(title, FromLatex(escaped));
        Assert.True(Balanced(escaped), escaped);
    }

    [Fact]
    public void Ris_has_one_record_per_paper_with_its_tags()
    {
        var ris = CitationWriter.Ris(List, "https://papers.example");

        var lines = ris.Split("\r\n");
        Assert.All(lines.Where(l => l.Length > 0), l => Assert.Matches(RisLine(), l));
        var records = ris.Split("ER  - \r\n", StringSplitOptions.RemoveEmptyEntries).Where(r => r.Trim().Length > 0).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.StartsWith("TY  - ", r.TrimStart()));
        var first = Tags(records[0]);
        Assert.Equal(new[] { "UNPB" }, first["TY"]);
        Assert.Equal(new[] { HardTitle }, first["TI"]);
        Assert.Equal(new[] { "Martínez, José", "van Beethoven, Ludwig", "Plato" }, first["AU"]);
        Assert.Equal(new[] { "2026" }, first["PY"]);
        Assert.Equal(new[] { "2026/06/12" }, first["DA"]);
        Assert.Equal(new[] { "Line one line two." }, first["AB"]);
        Assert.Equal(new[] { "https://arxiv.org/abs/2606.01001" }, first["UR"]);
        Assert.Equal(new[] { "10.1000/xyz" }, first["DO"]);
        Assert.Equal(new[] { "cs.LG", "stat.ML" }, first["KW"]);
    }

    /// <summary>The shape csl-data.json (citation-style-language/schema) requires: no network here, so its rules are checked one by one.</summary>
    [Fact]
    public void Csl_json_has_the_shape_the_csl_data_schema_requires()
    {
        var root = JsonDocument.Parse(CitationWriter.Csl(List, "https://papers.example")).RootElement;

        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        Assert.Equal(3, root.GetArrayLength());
        var ids = new HashSet<string>();
        foreach (var item in root.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Object, item.ValueKind);
            Assert.True(ids.Add(item.GetProperty("id").GetString()!));   // required, and unique in practice
            Assert.Equal("article", item.GetProperty("type").GetString()); // required, one of the schema's enum
            foreach (var property in item.EnumerateObject())               // additionalProperties: false
            {
                Assert.Contains(property.Name, SchemaProperties);
                if (property.Name is "title" or "abstract" or "URL" or "DOI" or "publisher" or "genre" or "type")
                    Assert.Equal(JsonValueKind.String, property.Value.ValueKind);
            }
            foreach (var author in item.GetProperty("author").EnumerateArray())
                Assert.All(author.EnumerateObject(), name => { Assert.Contains(name.Name, NameProperties); Assert.Equal(JsonValueKind.String, name.Value.ValueKind); });
            var parts = item.GetProperty("issued").GetProperty("date-parts");
            Assert.Single(item.GetProperty("issued").EnumerateObject());
            Assert.InRange(parts.GetArrayLength(), 1, 2);
            Assert.All(parts.EnumerateArray(), date => { Assert.InRange(date.GetArrayLength(), 1, 3); Assert.All(date.EnumerateArray(), n => Assert.Equal(JsonValueKind.Number, n.ValueKind)); });
        }
        var hard = root[0];
        Assert.Equal(HardTitle, hard.GetProperty("title").GetString());
        Assert.Equal("Martínez", hard.GetProperty("author")[0].GetProperty("family").GetString());
        Assert.Equal("José", hard.GetProperty("author")[0].GetProperty("given").GetString());
        Assert.Equal("van Beethoven", hard.GetProperty("author")[1].GetProperty("family").GetString());
        Assert.False(hard.GetProperty("author")[2].TryGetProperty("given", out _));
        Assert.Equal("[[2026,6,12]]", hard.GetProperty("issued").GetProperty("date-parts").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
        Assert.Equal("arXiv:2606.01001", hard.GetProperty("number").GetString());
        Assert.Equal("10.1000/xyz", hard.GetProperty("DOI").GetString());
        Assert.Equal("https://arxiv.org/abs/2606.01001", hard.GetProperty("URL").GetString());
    }

    [Fact]
    public void A_paper_without_arxiv_id_or_doi_links_to_its_page_on_the_site()
    {
        var paper = new Paper { Id = 9, Key = "title:abc", Title = "On things", NormalizedTitle = "on things" };
        var item = JsonDocument.Parse(CitationWriter.Csl([paper], "https://papers.example")).RootElement[0];
        Assert.Equal("https://papers.example/papers/title:abc", item.GetProperty("URL").GetString());
        Assert.False(item.TryGetProperty("number", out _));
    }

    [Theory]
    [InlineData("Daily papers, Friday 12 June 2026", "paperfeed-daily-papers-friday-12-june-2026")]
    [InlineData("Topic: Café «LLM»", "paperfeed-topic-cafe-llm")]
    public void File_names_are_plain_ascii(string title, string name) => Assert.Equal(name, CitationExport.FileName(title));

    // csl-data.json's item properties (the ones this writer may use are among them; the list is the schema's, abridged to scalars and names).
    private static readonly HashSet<string> SchemaProperties =
    [
        "type", "id", "categories", "language", "author", "editor", "issued", "accessed", "submitted", "abstract", "archive",
        "archive_location", "container-title", "DOI", "genre", "note", "number", "publisher", "source", "status", "title", "URL", "version",
    ];
    private static readonly HashSet<string> NameProperties = ["family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"];

    private sealed record Entry(string Type, string Key, Dictionary<string, string> Fields);

    /// <summary>A BibTeX reader as BibTeX reads: @type{key, name = {value}, …} with braces counted, backslashes or not.</summary>
    private static List<Entry> ReadBibTeX(string text)
    {
        var entries = new List<Entry>();
        var i = 0;
        while ((i = text.IndexOf('@', i)) >= 0)
        {
            var open = text.IndexOf('{', i);
            var type = text[(i + 1)..open];
            var comma = text.IndexOf(',', open);
            var key = text[(open + 1)..comma].Trim();
            var fields = new Dictionary<string, string>();
            i = comma + 1;
            while (true)
            {
                while (char.IsWhiteSpace(text[i]) || text[i] == ',') i++;
                if (text[i] == '}') { i++; break; }
                var equals = text.IndexOf('=', i);
                var name = text[i..equals].Trim();
                i = text.IndexOf('{', equals) + 1;
                var start = i;
                for (var depth = 1; depth > 0; i++) depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
                fields.Add(name, text[start..(i - 1)]);
            }
            entries.Add(new Entry(type, key, fields));
        }
        return entries;
    }

    /// <summary>What LaTeX prints for text: escapes and accent commands undone, math ($…$, opened by an unescaped $) as written.</summary>
    private static string FromLatex(string latex)
    {
        var text = new StringBuilder();
        var inMath = false;
        for (var i = 0; i < latex.Length; i++)
        {
            if (inMath) { text.Append(latex[i]); if (latex[i] == '\\') text.Append(latex[++i]); else if (latex[i] == '$') inMath = false; continue; }
            if (latex[i] == '$') { inMath = true; text.Append('$'); continue; }
            var command = LatexCommand().Match(latex, i);
            if (command.Success && command.Index == i)
            {
                text.Append(Undo(command));
                i += command.Length - 1;
                continue;
            }
            Assert.False(latex[i] is '{' or '}' or '\\' or '&' or '%' or '#' or '_' or '^' or '~', $"unescaped {latex[i]} at {i} in {latex}");
            Assert.False(latex[i] > 127 && char.IsLetter(latex[i]) && latex[i].ToString().Normalize(NormalizationForm.FormD).Length > 1, $"accented {latex[i]} left as UTF-8");
            text.Append(latex[i]);
        }
        return text.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string Undo(Match m)
    {
        if (m.Groups["sym"].Success) return m.Groups["sym"].Value;
        if (m.Groups["word"].Success) return m.Groups["word"].Value switch
        {
            "textbackslash" => "\\", "textbraceleft" => "{", "textbraceright" => "}",
            _ => throw new InvalidOperationException(m.Value),
        };
        if (m.Groups["spaced"].Success) return m.Groups["spaced"].Value;
        if (m.Groups["letter"].Success) return m.Groups["letter"].Value switch
        {
            "ss" => "ß", "o" => "ø", "O" => "Ø", "ae" => "æ", "AE" => "Æ", "oe" => "œ", "OE" => "Œ", "l" => "ł", "L" => "Ł", "i" => "ı", "dj" => "đ", "DJ" => "Đ",
            _ => throw new InvalidOperationException(m.Value),
        };
        var mark = m.Groups["accent"].Value switch
        {
            "'" => '\u0301', "`" => '\u0300', "^" => '\u0302', "\"" => '\u0308', "~" => '\u0303', "=" => '\u0304', "." => '\u0307',
            "c" => '\u0327', "v" => '\u030C', "r" => '\u030A', "u" => '\u0306', "H" => '\u030B', "k" => '\u0328',
            _ => throw new InvalidOperationException(m.Value),
        };
        return m.Groups["base"].Value + mark;
    }

    [GeneratedRegex(@"\\(?<sym>[{}&%$#_])|\\(?<word>textbackslash|textbraceleft|textbraceright)\{\}|\\(?<spaced>[\^~])\{\}|\{\\(?<letter>ss|o|O|ae|AE|oe|OE|l|L|i|dj|DJ)\}|\{\\(?<accent>['`^""~=.])(?<base>[A-Za-z])\}|\{\\(?<accent>[cvruHk])\{(?<base>[A-Za-z])\}\}")]
    private static partial Regex LatexCommand();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]  - .*$")]
    private static partial Regex RisLine();

    private static Dictionary<string, List<string>> Tags(string record) =>
        record.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).GroupBy(l => l[..2]).ToDictionary(g => g.Key, g => g.Select(l => l[6..]).ToList());

    private static bool Balanced(string text)
    {
        var depth = 0;
        foreach (var c in text) if ((depth += c == '{' ? 1 : c == '}' ? -1 : 0) < 0) return false;
        return depth == 0;
    }
}
