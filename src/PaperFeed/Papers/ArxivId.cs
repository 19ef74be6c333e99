using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace PaperFeed.Papers;

/// <summary>arXiv identifiers: new style (2401.12345, 0704.0001) and old style (hep-th/9901001), with an optional version.</summary>
public static partial class ArxivId
{
    [GeneratedRegex(@"^(?:(?<new>\d{4}\.\d{4,5})|(?<old>[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}))(?:v(?<v>\d+))?$")]
    private static partial Regex IdPattern();

    // Ids inside URLs or prefixed text: arxiv.org/abs/2401.12345v2, oai:arXiv.org:2401.12345v1, arXiv:2401.12345.
    // (?!\d): a longer digit run (2401.123456) is not an id, not 2401.12345 with a digit left over.
    [GeneratedRegex(@"(?:arxiv\.org/(?:abs|pdf|html)/|arXiv:|oai:arXiv\.org:|huggingface\.co/papers/)(?<id>(?:\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)(?!\d)", RegexOptions.IgnoreCase)]
    private static partial Regex EmbeddedPattern();

    /// <summary>Splits "2401.12345v2" into ("2401.12345", 2). False for anything that is not an arXiv id.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out string? id, out int? version)
    {
        id = null;
        version = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var match = IdPattern().Match(text.Trim());
        if (!match.Success) return false;
        id = match.Groups["new"].Success ? match.Groups["new"].Value : match.Groups["old"].Value;
        if (match.Groups["v"].Success && int.TryParse(match.Groups["v"].Value, out var v)) version = v;
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    /// <summary>Finds an id in a URL or a prefixed string (abs/pdf links, OAI guids, "arXiv:…").</summary>
    public static bool TryFind(string? text, [NotNullWhen(true)] out string? id, out int? version)
    {
        id = null;
        version = null;
        if (string.IsNullOrEmpty(text)) return false;
        var match = EmbeddedPattern().Match(text);
        return match.Success ? TryParse(match.Groups["id"].Value, out id, out version) : TryParse(text, out id, out version);
    }
}
