using AngleSharp.Html.Parser;

namespace PaperFeed.Sources.HuggingFace;

/// <summary>
/// Reads a huggingface.co/papers page. Svelte serialises the list's state into
/// div.SVELTE_HYDRATER[data-target="DailyPapers"][data-props]; the JSON there has the API's item shape.
/// </summary>
public static class HfPapersPageParser
{
    private static readonly string[] Targets = ["DailyPapers", "PaperContent"];

    /// <summary>True when the HTML carries a papers data element at all (false means a layout change).</summary>
    public static bool TryParse(string html, out ParseResult result)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var target in Targets)
        {
            var element = document.QuerySelector($"div[data-target=\"{target}\"][data-props]");
            if (element is null) continue;
            // The HTML parser has already decoded &quot; and friends.
            var props = element.GetAttribute("data-props")!;
            result = HfDailyPapersJsonParser.Parse(props);
            return true;
        }
        result = ParseResult.Empty;
        return false;
    }

    public static ParseResult Parse(string html) =>
        TryParse(html, out var result) ? result
            : throw new SourceFormatException("the page has no Hugging Face papers data (no DailyPapers element)");
}
