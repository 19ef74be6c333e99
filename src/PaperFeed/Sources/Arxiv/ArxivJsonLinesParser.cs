using System.Globalization;
using System.Text.Json;
using PaperFeed.Papers;
using PaperFeed.Sources.Feeds;

namespace PaperFeed.Sources.Arxiv;

/// <summary>
/// arXiv metadata as JSON lines, one paper a line: the daily corpus (<c>id, day, title, authors[], categories[],
/// comment, abstract</c>; listed on its <c>day</c>) and arXiv's metadata snapshot (<c>id, authors, title, comments,
/// journal-ref, doi, categories, abstract, versions[].created, authors_parsed</c>; listed on its first version's day).
/// </summary>
public static class ArxivJsonLinesParser
{
    /// <summary>True when the first line is one JSON object with an <c>id</c> and a <c>day</c> or <c>versions</c>.</summary>
    public static bool LooksLikeJsonLines(string firstLine)
    {
        try
        {
            using var doc = JsonDocument.Parse(firstLine);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                && (root.TryGetProperty("day", out _) || root.TryGetProperty("versions", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static IEnumerable<PaperRecord> ReadLines(TextReader text)
    {
        var number = 0;
        while (text.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            PaperRecord record;
            try
            {
                using var doc = JsonDocument.Parse(line);
                record = ReadPaper(doc.RootElement, number);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                throw new SourceFormatException($"line {number}: not a paper's JSON: {ex.Message}", ex);
            }
            yield return record;
        }
    }

    private static PaperRecord ReadPaper(JsonElement paper, int line)
    {
        var idText = String(paper, "id");
        if (idText is null || !ArxivId.TryFind(idText, out var arxivId, out var version))
            throw new SourceFormatException($"line {line}: the id is not an arXiv id: '{idText}'");
        var title = TextNormalizer.WhitespaceOrNull(String(paper, "title"))
            ?? throw new SourceFormatException($"line {line}: paper {arxivId} has no title");

        var categories = paper.TryGetProperty("categories", out var c) ? c.ValueKind switch
        {
            JsonValueKind.Array => c.EnumerateArray().Select(e => e.GetString()?.Trim()).OfType<string>().Where(s => s.Length > 0).ToList(),
            JsonValueKind.String => c.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList(),
            _ => [],
        } : [];
        categories = categories.Distinct(StringComparer.Ordinal).ToList();

        DateTime? published = null;
        DateOnly? day = null;
        if (String(paper, "day") is { } dayText)
        {
            day = DateOnly.ParseExact(dayText, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        if (paper.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array && versions.GetArrayLength() > 0)
        {
            // "Mon, 2 Apr 2007 19:18:42 GMT"
            if (String(versions[0], "created") is { } created
                && DateTime.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at))
            {
                published = at;
                day ??= DateOnly.FromDateTime(at);
            }
            version ??= versions.GetArrayLength();
        }

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = version,
            Title = title,
            Abstract = TextNormalizer.WhitespaceOrNull(String(paper, "abstract")),
            Authors = Authors(paper),
            PublishedAt = published,
            ListDay = day,
            Categories = categories.Count > 0 ? categories : null,
            PrimaryCategory = categories.Count > 0 ? categories[0] : null,
            Comments = TextNormalizer.WhitespaceOrNull(String(paper, "comment") ?? String(paper, "comments")),
            JournalRef = TextNormalizer.WhitespaceOrNull(String(paper, "journal-ref")),
            Doi = XmlSource.NormalizeDoi(String(paper, "doi")),
            FromArxiv = true,
        };
    }

    /// <summary>The corpus's author list, else the snapshot's authors_parsed ([last, first, suffix]), else its authors string.</summary>
    private static List<string>? Authors(JsonElement paper)
    {
        List<string> names = [];
        if (paper.TryGetProperty("authors", out var a) && a.ValueKind == JsonValueKind.Array)
            names = a.EnumerateArray().Select(e => TextNormalizer.WhitespaceOrNull(e.GetString())).OfType<string>().ToList();
        else if (paper.TryGetProperty("authors_parsed", out var parsed) && parsed.ValueKind == JsonValueKind.Array)
            names = parsed.EnumerateArray()
                .Where(p => p.ValueKind == JsonValueKind.Array)
                .Select(p => p.EnumerateArray().Select(e => e.GetString() ?? "").ToArray())
                .Select(p => TextNormalizer.WhitespaceOrNull(string.Join(' ', new[] { p.ElementAtOrDefault(1), p.ElementAtOrDefault(0), p.ElementAtOrDefault(2) }.Where(s => !string.IsNullOrWhiteSpace(s)))))
                .OfType<string>().ToList();
        else if (String(paper, "authors") is { } text)
            names = text.Replace(" and ", ", ", StringComparison.Ordinal).Split(',').Select(TextNormalizer.WhitespaceOrNull).OfType<string>().ToList();
        return names.Count > 0 ? names : null;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
