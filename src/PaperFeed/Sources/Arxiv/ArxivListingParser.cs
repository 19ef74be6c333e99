using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using PaperFeed.Papers;

namespace PaperFeed.Sources.Arxiv;

/// <summary>
/// Reads an arXiv category listing page, /list/{cat}/new or /list/{cat}/recent (SOURCE-FORMATS.md section 5).
/// Entries are dt/dd pairs inside div#dlpage; the h3 headings before them (inside the dl in the current
/// templates, before it on pre-2024 pages) say which section (new, cross, replace) or which day (/recent) they belong to.
/// </summary>
public static class ArxivListingParser
{
    private static readonly string[] NoUpdatesTexts = ["No updates today.", "No updates for this time period."];

    /// <summary>"Showing new listings for Monday, 14 September 2026".</summary>
    private const string ShowingPrefix = "Showing new listings for ";

    private static readonly string[] ShowingFormats = ["dddd, d MMMM yyyy"];
    /// <summary>/recent day headings: "Mon, 14 Sep 2026 (showing first 50 of 312 entries )".</summary>
    private static readonly string[] RecentDayFormats = ["ddd, d MMM yyyy"];
    /// <summary>Pre-2024 /new section headings: "New submissions for Fri, 13 Oct 23".</summary>
    private static readonly string[] LegacySectionDayFormats = ["ddd, d MMM yy", "ddd, d MMM yyyy"];

    public static ParseResult Parse(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = new HtmlParser().ParseDocument(html);
        var page = document.QuerySelector("div#dlpage")
            ?? throw new SourceFormatException("not an arXiv listing page (no div#dlpage)");

        // The category's full name ("Artificial Intelligence"), to tell a replaced cross-list from a replacement.
        var pageName = Text(page.QuerySelector("h1"));

        DateOnly? pageDay = null;     // from "Showing new listings for …" or a legacy section heading
        DateOnly? newestDay = null;   // from /recent day headings
        DateOnly? sectionDay = null;  // the /recent day the entries under the current heading belong to
        string? sectionType = null;   // new, cross, replace; null on /recent and under unknown headings

        var papers = new List<PaperRecord>();
        var entries = 0;
        var skipped = 0;

        // Document order: a heading applies to every entry after it until the next heading.
        foreach (var element in page.QuerySelectorAll("h3, dt"))
        {
            if (element.LocalName == "h3")
            {
                var heading = Text(element);
                if (heading.StartsWith(ShowingPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    pageDay = ParseDay(heading[ShowingPrefix.Length..], ShowingFormats)
                        ?? throw new SourceFormatException($"unreadable listing date in heading \"{heading}\"");
                    continue;
                }
                var type = SectionType(heading, out var legacyDay);
                if (type is not null)
                {
                    sectionType = type;
                    sectionDay = null;
                    if (legacyDay is not null) pageDay ??= legacyDay;
                    continue;
                }
                sectionType = null;
                sectionDay = RecentDay(heading);
                if (sectionDay is { } day && (newestDay is null || day > newestDay)) newestDay = day;
                continue;
            }

            entries++;
            var dd = element.NextElementSibling;
            var record = dd?.LocalName == "dd" ? ReadEntry(element, dd, sectionType, sectionDay ?? pageDay, pageName) : null;
            if (record is null) skipped++;
            else papers.Add(record);
        }

        var resultDay = pageDay ?? newestDay;
        if (entries == 0)
        {
            var noUpdates = page.QuerySelectorAll("p").Any(p => NoUpdatesTexts.Contains(Text(p), StringComparer.OrdinalIgnoreCase));
            if (!noUpdates) throw new SourceFormatException("no listing entries found (layout change?)");
            return ParseResult.Empty with { Day = resultDay };
        }
        if (papers.Count == 0)
            throw new SourceFormatException($"none of the {entries} listing entries could be read (layout change?)");

        var warning = skipped > 0
            ? $"skipped {skipped} of {entries} listing entries without a readable arXiv id or title"
            : null;
        return new ParseResult(papers, warning) { Day = resultDay };
    }

    private static PaperRecord? ReadEntry(IElement dt, IElement dd, string? sectionType, DateOnly? listDay, string pageName)
    {
        var id = ReadId(dt);
        var meta = dd.QuerySelector("div.meta") ?? dd;
        var title = TextWithoutDescriptor(meta.QuerySelector("div.list-title"));
        if (id is null || title is null) return null;

        var (categories, primary) = ReadSubjects(meta.QuerySelector("div.list-subjects"), out var primaryName, out var secondaryNames);

        return new PaperRecord
        {
            ArxivId = id,
            Version = ReadVersion(dt, id),
            Title = title,
            Authors = ReadAuthors(meta.QuerySelector("div.list-authors")),
            Abstract = TextNormalizer.WhitespaceOrNull(Text(meta.QuerySelector("p.mathjax"))),
            Comments = TextWithoutDescriptor(meta.QuerySelector("div.list-comments")),
            JournalRef = TextWithoutDescriptor(meta.QuerySelector("div.list-journal-ref")),
            Categories = categories,
            PrimaryCategory = primary,
            ListDay = listDay,
            AnnounceType = AnnounceType(Text(dt), sectionType, pageName, primaryName, secondaryNames),
            FromArxiv = true,
        };
    }

    /// <summary>The unversioned id from the abstract link: href ="/abs/{id}" (current and pre-2024 markup alike).</summary>
    private static string? ReadId(IElement dt)
    {
        foreach (var link in dt.QuerySelectorAll("a[href]"))
        {
            var href = link.GetAttribute("href")!;
            var at = href.IndexOf("/abs/", StringComparison.Ordinal);
            if (at >= 0 && ArxivId.TryParse(href[(at + "/abs/".Length)..], out var id, out _)) return id;
        }
        // Fall back to the link text "arXiv:{id}".
        foreach (var link in dt.QuerySelectorAll("a"))
        {
            var text = Text(link);
            if (text.StartsWith("arXiv:", StringComparison.OrdinalIgnoreCase)
                && ArxivId.TryParse(text["arXiv:".Length..], out var id, out _)) return id;
        }
        return null;
    }

    /// <summary>The version, when the entry links its HTML rendering (arxiv.org/html/{id}vN); the abs link is unversioned.</summary>
    private static int? ReadVersion(IElement dt, string id)
    {
        foreach (var link in dt.QuerySelectorAll("a[href]"))
        {
            var href = link.GetAttribute("href")!;
            var at = href.IndexOf("/html/", StringComparison.Ordinal);
            if (at < 0) continue;
            var rest = href[(at + "/html/".Length)..];
            var end = rest.IndexOfAny(['/', '?', '#']);
            if (end >= 0) rest = rest[..end];
            if (ArxivId.TryParse(rest, out var linked, out var version) && linked == id) return version;
        }
        return null;
    }

    private static List<string>? ReadAuthors(IElement? div)
    {
        if (div is null) return null;
        var authors = div.QuerySelectorAll("a")
            .Select(a => TextNormalizer.Whitespace(Text(a)))
            .Where(name => name.Length > 0)
            .ToList();
        // "(author list is unavailable)" and an empty div both mean the page does not say.
        return authors.Count > 0 ? authors : null;
    }

    /// <summary>"Artificial Intelligence (cs.AI); Machine Learning (cs.LG)" → [cs.AI, cs.LG], primary cs.AI.</summary>
    private static (List<string>? Categories, string? Primary) ReadSubjects(
        IElement? div, out string? primaryName, out List<string> secondaryNames)
    {
        primaryName = null;
        secondaryNames = [];
        if (div is null) return (null, null);

        var categories = new List<string>();
        string? primary = null;
        var primarySpan = div.QuerySelector("span.primary-subject");
        if (primarySpan is not null && SplitSubject(Text(primarySpan)) is { } p)
        {
            primary = p.Code;
            primaryName = p.Name;
            categories.Add(p.Code);
        }

        var all = TextWithoutDescriptor(div) ?? "";
        foreach (var part in all.Split(';'))
        {
            if (SplitSubject(part) is not { } subject) continue;
            if (primary is null)
            {
                primary = subject.Code;
                primaryName = subject.Name;
            }
            else if (subject.Code != primary) secondaryNames.Add(subject.Name);
            if (!categories.Contains(subject.Code, StringComparer.Ordinal)) categories.Add(subject.Code);
        }
        return categories.Count > 0 ? (categories, primary) : (null, null);
    }

    /// <summary>"Machine Learning (cs.LG)" → ("Machine Learning", "cs.LG"); the code is the last parenthesised part.</summary>
    private static (string Name, string Code)? SplitSubject(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.EndsWith(')')) return null;
        var open = trimmed.LastIndexOf('(');
        if (open < 0) return null;
        var code = trimmed[(open + 1)..^1].Trim();
        if (code.Length == 0 || code.Any(char.IsWhiteSpace)) return null;
        return (trimmed[..open].Trim(), code);
    }

    private static string? SectionType(string heading, out DateOnly? legacyDay)
    {
        legacyDay = null;
        string? type =
            heading.StartsWith("New submissions", StringComparison.OrdinalIgnoreCase) ? "new"
            : heading.StartsWith("Cross submissions", StringComparison.OrdinalIgnoreCase)
              || heading.StartsWith("Cross-lists", StringComparison.OrdinalIgnoreCase) ? "cross"
            : heading.StartsWith("Replacement submissions", StringComparison.OrdinalIgnoreCase)
              || heading.StartsWith("Replacements", StringComparison.OrdinalIgnoreCase) ? "replace"
            : null;
        if (type is null) return null;

        // Pre-2024: "New submissions for Fri, 13 Oct 23".
        var at = heading.IndexOf(" for ", StringComparison.OrdinalIgnoreCase);
        if (at >= 0) legacyDay = ParseDay(heading[(at + " for ".Length)..], LegacySectionDayFormats);
        return type;
    }

    /// <summary>"Mon, 14 Sep 2026 (showing first 50 of 312 entries )" → 2026-09-14; null for any other heading.</summary>
    private static DateOnly? RecentDay(string heading)
    {
        var open = heading.IndexOf('(', StringComparison.Ordinal);
        return ParseDay(open >= 0 ? heading[..open] : heading, RecentDayFormats);
    }

    private static DateOnly? ParseDay(string text, string[] formats) =>
        DateOnly.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    /// <summary>
    /// The section decides (new, cross, replace). A replacement is a replaced cross-list (replace-cross) when its
    /// dt says cross-list (pre-2024 "(*cross-listing*)"), or when the page's own category is one of the entry's
    /// secondary subjects. Without a section heading (/recent) the dt's markers decide, else "new".
    /// </summary>
    private static string AnnounceType(string dtText, string? sectionType, string pageName, string? primaryName, List<string> secondaryNames)
    {
        var crossMarker = dtText.Contains("cross-list", StringComparison.OrdinalIgnoreCase);
        var replacedMarker = dtText.Contains("(replaced)", StringComparison.OrdinalIgnoreCase);
        var listedAsSecondary = pageName.Length > 0
            && !string.Equals(primaryName, pageName, StringComparison.OrdinalIgnoreCase)
            && secondaryNames.Contains(pageName, StringComparer.OrdinalIgnoreCase);

        var type = sectionType ?? (replacedMarker ? "replace" : crossMarker ? "cross" : "new");
        return type == "replace" && (crossMarker || listedAsSecondary) ? "replace-cross" : type;
    }

    private static string? TextWithoutDescriptor(IElement? element)
    {
        if (element is null) return null;
        var sb = new StringBuilder();
        AppendText(element, sb, skipDescriptor: true);
        return TextNormalizer.WhitespaceOrNull(sb.ToString());
    }

    /// <summary>The element's text with whitespace collapsed; a br counts as a space.</summary>
    private static string Text(IElement? element)
    {
        if (element is null) return "";
        var sb = new StringBuilder();
        AppendText(element, sb, skipDescriptor: false);
        return TextNormalizer.Whitespace(sb.ToString());
    }

    private static void AppendText(INode node, StringBuilder sb, bool skipDescriptor)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    sb.Append(text.Data);
                    break;
                case IElement { LocalName: "br" }:
                    sb.Append(' ');
                    break;
                case IElement { LocalName: "script" or "style" }:
                    break;
                case IElement element when skipDescriptor && element.ClassList.Contains("descriptor"):
                    sb.Append(' ');
                    break;
                case IElement element:
                    AppendText(element, sb, skipDescriptor);
                    break;
            }
        }
    }
}
