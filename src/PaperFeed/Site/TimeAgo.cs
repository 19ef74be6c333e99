namespace PaperFeed.Site;

/// <summary>"5 min ago", "in 2 h", "never": instants on the operators' pages (sources, channels).</summary>
public static class TimeAgo
{
    public static string Format(DateTime? instant, DateTime now)
    {
        if (instant is null) return "never";
        var span = now - instant.Value;
        if (span < TimeSpan.Zero) return "in " + Span(-span);
        return Span(span) + " ago";
    }

    private static string Span(TimeSpan span) =>
        span.TotalMinutes < 1 ? "moments" : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min" : span.TotalDays < 2 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalDays} days";
}
