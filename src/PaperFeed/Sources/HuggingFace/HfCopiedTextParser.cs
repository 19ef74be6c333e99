using System.Globalization;
using System.Text.RegularExpressions;
using PaperFeed.Papers;

namespace PaperFeed.Sources.HuggingFace;

/// <summary>
/// Reads the plain text a browser gives for "select all, copy" on a huggingface.co papers page:
/// per paper a title, an abstract, then optionally a metadata line ("• N authors" or an organisation),
/// a "·" line and a date ("Jun 16", "Sep 20, 2023") followed by the upvote count when it is not zero.
/// Such pages are search results, so the dates are arXiv dates and no daily listing is implied.
/// </summary>
public static partial class HfCopiedTextParser
{
    [GeneratedRegex(@"^(?<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?<day>\d{1,2})(?:, (?<year>\d{4}))?(?: (?<votes>\d+))?$")]
    private static partial Regex DateLine();

    [GeneratedRegex(@"^•\s*(?<n>\d+) authors?$")]
    private static partial Regex AuthorCountLine();

    private const int MinAbstractLength = 80;

    /// <param name="year">The year of dates shown without one (the year the page was copied).</param>
    public static ParseResult Parse(string text, int year)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var papers = new List<PaperRecord>();
        var i = FirstTitle(lines);
        while (i >= 0 && i + 1 < lines.Count)
        {
            var title = lines[i];
            var abstractText = lines[i + 1];
            if (abstractText.Length < MinAbstractLength || IsMarker(title)) { i++; continue; }
            i += 2;

            string? organization = null, organizationName = null;
            DateTime? published = null;
            int? upvotes = null;
            // Metadata block: a line, then "·", then a date line.
            if (i + 1 < lines.Count && lines[i + 1] == "·")
            {
                var meta = lines[i];
                if (!AuthorCountLine().IsMatch(meta))
                {
                    var space = meta.IndexOf(' ', StringComparison.Ordinal);
                    organization = space > 0 ? meta[..space] : meta;
                    organizationName = space > 0 ? meta[(space + 1)..] : meta;
                }
                i += 2;
                if (i < lines.Count && DateLine().Match(lines[i]) is { Success: true } date)
                {
                    var y = date.Groups["year"].Success ? int.Parse(date.Groups["year"].Value, CultureInfo.InvariantCulture) : year;
                    var month = DateTime.ParseExact(date.Groups["mon"].Value, "MMM", CultureInfo.InvariantCulture).Month;
                    var dayOfMonth = int.Parse(date.Groups["day"].Value, CultureInfo.InvariantCulture);
                    if (dayOfMonth <= DateTime.DaysInMonth(y, month))
                        published = new DateTime(y, month, dayOfMonth, 0, 0, 0, DateTimeKind.Utc);
                    upvotes = date.Groups["votes"].Success ? int.Parse(date.Groups["votes"].Value, CultureInfo.InvariantCulture) : 0;
                    i++;
                }
            }

            papers.Add(new PaperRecord
            {
                Title = TextNormalizer.Whitespace(title),
                Abstract = TextNormalizer.WhitespaceOrNull(abstractText),
                PublishedAt = published,
                Upvotes = upvotes,
                Organization = organization,
                OrganizationName = organizationName,
            });
        }
        return new ParseResult(papers);
    }

    /// <summary>Skips the page chrome ("Daily Papers", "Subscribe", a date): the first title is the first line followed by an abstract.</summary>
    private static int FirstTitle(List<string> lines)
    {
        for (var i = 0; i + 1 < lines.Count; i++)
            if (lines[i + 1].Length >= MinAbstractLength && lines[i].Length < lines[i + 1].Length && !IsMarker(lines[i]))
                return i;
        return -1;
    }

    private static bool IsMarker(string line) => line == "·" || DateLine().IsMatch(line) || AuthorCountLine().IsMatch(line);
}
