using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace PaperFeed.Papers;

public enum PaperSort { Top, New, Trending, ForYou }

/// <summary>
/// What a list shows, read from and written back to the URL, so every view can be bookmarked and shared:
/// topic= (several, OR), from=/to= (listing days), q= (search), sort=top|new|trending|foryou (foryou: ranked for the signed-in reader, ForYou/ForYouRanking), source=.
/// </summary>
public sealed record PaperFilter
{
    public const int MaxQueryLength = 300;
    public const int MaxTopics = 10;

    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public string? Query { get; init; }
    public PaperSort Sort { get; init; } = PaperSort.Top;
    public int? SourceId { get; init; }

    public bool IsEmpty => From is null && To is null && Topics.Count == 0 && Query is null && SourceId is null;

    /// <summary>Reads the filter; a malformed value is a problem to answer with 400, never an exception.</summary>
    public static bool TryRead(IQueryCollection query, out PaperFilter filter, out string? problem)
    {
        filter = new PaperFilter();
        problem = null;
        DateOnly? from = null, to = null;
        if (!TryDate(query["from"], out from) || !TryDate(query["to"], out to)) { problem = "from and to must be dates (YYYY-MM-DD)"; return false; }
        if (from > to) { problem = "from is after to"; return false; }
        var topics = query["topic"].Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim().ToLowerInvariant()).Distinct().ToList();
        if (topics.Count > MaxTopics || topics.Any(t => t.Length > 100)) { problem = $"at most {MaxTopics} topics"; return false; }
        // A control character (NUL above all: PostgreSQL refuses it in text) is never part of a slug.
        if (topics.Any(t => t.Any(char.IsControl))) { problem = "a topic is a slug"; return false; }
        var text = query["q"].ToString().Trim();
        if (text.Length > MaxQueryLength) text = text[..MaxQueryLength];
        var sort = PaperSort.Top;
        var sortText = query["sort"].ToString();
        if (sortText.Length > 0 && !Enum.TryParse(sortText, ignoreCase: true, out sort)) { problem = "sort must be top, new, trending or foryou"; return false; }
        int? source = null;
        if (query["source"].ToString() is { Length: > 0 } s)
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) { problem = "source must be a number"; return false; }
            source = id;
        }
        filter = new PaperFilter { From = from, To = to, Topics = topics, Query = text.Length == 0 ? null : text, Sort = sort, SourceId = source };
        return true;
    }

    private static bool TryDate(StringValues value, out DateOnly? date)
    {
        date = null;
        if (StringValues.IsNullOrEmpty(value)) return true;
        if (!DateOnly.TryParseExact(value.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }

    /// <summary>The query string of this filter (with extras such as page=), for links that keep the state.</summary>
    public string ToQueryString(params (string Key, string? Value)[] extra)
    {
        var parts = new List<string>();
        foreach (var topic in Topics) parts.Add("topic=" + Uri.EscapeDataString(topic));
        if (From is { } f) parts.Add("from=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (To is { } t) parts.Add("to=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (Query is not null) parts.Add("q=" + Uri.EscapeDataString(Query));
        if (Sort != PaperSort.Top) parts.Add("sort=" + Sort.ToString().ToLowerInvariant());
        if (SourceId is { } s) parts.Add("source=" + s.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in extra)
            if (value is not null) parts.Add(key + "=" + Uri.EscapeDataString(value));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
