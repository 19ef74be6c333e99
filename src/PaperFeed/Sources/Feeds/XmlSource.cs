using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace PaperFeed.Sources.Feeds;

/// <summary>What the XML parsers share: loading without DTDs, namespaces, dates and DOIs.</summary>
internal static class XmlSource
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace ArxivNs = "http://arxiv.org/schemas/atom";
    public static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    private static readonly Lazy<TimeZoneInfo> NewYorkZone = new(() => TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

    // XDocument.Parse would parse a DTD and expand its entities; a feed never needs one, so refuse it.
    public static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreProcessingInstructions = true,
        IgnoreComments = true,
    };

    /// <summary>Parses XML with DTDs prohibited; a broken body is a SourceFormatException.</summary>
    public static XElement LoadRoot(string xml, string what)
    {
        if (string.IsNullOrWhiteSpace(xml)) throw new SourceFormatException($"empty {what} body");
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), ReaderSettings);
            return XDocument.Load(reader).Root ?? throw new SourceFormatException($"{what} has no root element");
        }
        catch (XmlException ex)
        {
            throw new SourceFormatException($"malformed XML in {what}: {ex.Message}", ex);
        }
    }

    /// <summary>The trimmed text of an element, or null when it is missing or blank.</summary>
    public static string? Text(XElement? element)
    {
        var value = element?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static DateOnly NewYorkDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, NewYorkZone.Value).DateTime);

    /// <summary>ISO 8601 / RFC 3339 (Atom, dc:date, OAI); a value without an offset is taken as UTC.</summary>
    public static DateTimeOffset? ParseIso(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
    }

    private static readonly string[] Rfc822Formats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz",
    ];

    private static readonly Dictionary<string, string> NamedZones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
    };

    /// <summary>RFC 822 dates as RSS writes them ("Mon, 27 Apr 2026 00:00:00 -0400", "27 Apr 2026 04:00 GMT"); ISO as a fallback.</summary>
    public static DateTimeOffset? ParseRfc822(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = TextWithoutWeekday(text.Trim());
        var lastSpace = value.LastIndexOf(' ');
        if (lastSpace > 0)
        {
            var zone = value[(lastSpace + 1)..];
            if (NamedZones.TryGetValue(zone, out var offset)) zone = offset;
            else if (zone.Length == 5 && (zone[0] == '+' || zone[0] == '-') && zone[1..].All(char.IsAsciiDigit))
                zone = $"{zone[..3]}:{zone[3..]}";
            var candidate = $"{value[..lastSpace]} {zone}";
            if (DateTimeOffset.TryParseExact(candidate, Rfc822Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
                return parsed;
        }
        return ParseIso(text);
    }

    private static string TextWithoutWeekday(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        return comma is > 0 and <= 9 && text[..comma].All(char.IsAsciiLetter) ? text[(comma + 1)..].Trim() : text;
    }

    /// <summary>A DOI in lower case without "doi:" or a doi.org prefix; null when the text holds none.</summary>
    public static string? NormalizeDoi(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var value = text.Trim();
        var at = value.IndexOf("10.", StringComparison.Ordinal);
        if (at < 0) return null;
        var prefix = value[..at].ToLowerInvariant();
        string[] allowed = ["", "doi:", "doi: ", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "info:doi/"];
        if (!allowed.Contains(prefix)) return null;
        var doi = value[at..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
        if (!doi.Contains('/', StringComparison.Ordinal) || doi.EndsWith('/')) return null;
        return Uri.UnescapeDataString(doi).ToLowerInvariant();
    }
}
