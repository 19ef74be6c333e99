using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Sources;

public enum ImportFormat { HfJson, HfPage, HfCopiedText }

/// <summary>Recognises a saved or downloaded input by its content, not its name, and parses it.</summary>
public static class ImportFormats
{
    public static (ImportFormat Format, ParseResult Result) Parse(string content, int year)
    {
        var start = content.AsSpan().TrimStart();
        if (start.IsEmpty) throw new SourceFormatException("the input is empty");

        if (start[0] is '[' or '{')
            return (ImportFormat.HfJson, HfDailyPapersJsonParser.Parse(content));

        if (start[0] == '<')
        {
            var head = start[..Math.Min(start.Length, 2048)].ToString();
            if (head.Contains("<html", StringComparison.OrdinalIgnoreCase) || head.Contains("<!doctype html", StringComparison.OrdinalIgnoreCase))
            {
                if (!HfPapersPageParser.TryParse(content, out var page))
                    throw new SourceFormatException("an HTML page with no Hugging Face papers data (no DailyPapers or PaperContent element)");
                return (ImportFormat.HfPage, page);
            }
            throw new SourceFormatException("an XML document that is not a known feed format");
        }

        var copied = HfCopiedTextParser.Parse(content, year);
        // Copied papers pages give most papers a date line; other prose gives none.
        if (copied.Papers.Count == 0 || copied.Papers.Count(p => p.PublishedAt is not null) * 2 < copied.Papers.Count)
            throw new SourceFormatException("unknown format: not JSON, not an HTML papers page, and not a papers page copied as text");
        return (ImportFormat.HfCopiedText, copied);
    }

    public static string Describe(ImportFormat format) => format switch
    {
        ImportFormat.HfJson => "Hugging Face daily papers JSON",
        ImportFormat.HfPage => "Hugging Face papers page",
        ImportFormat.HfCopiedText => "Hugging Face page copied as text",
        _ => format.ToString(),
    };

    /// <summary>The source an import's listings belong to: the first configured source of that family.</summary>
    public static SourceKind[] SourceKindsFor(ImportFormat format) => format switch
    {
        ImportFormat.HfJson or ImportFormat.HfPage or ImportFormat.HfCopiedText => [SourceKind.HuggingFacePage, SourceKind.HuggingFaceApi],
        _ => [],
    };
}
