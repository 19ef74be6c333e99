namespace PaperFeed.Papers;

/// <summary>
/// The trending score (written out on /about/ranking): votes gained in the last 72 hours, divided by the paper's age
/// in hours plus two, to the power 1.5. Fresh growth wins over a large old count; the +2 keeps a paper an hour old
/// from outranking everything on its first vote. HF upvotes are the signal until PaperFeed has its own votes.
/// </summary>
public static class Trending
{
    public const int GrowthWindowHours = 72;
    public const double AgeOffsetHours = 2;
    public const double Gravity = 1.5;
    /// <summary>Only papers listed in the last two weeks trend; the job gives every other paper 0.</summary>
    public const int ListedWithinDays = 14;

    public static double Score(int growth, int ownVotes, DateTime firstListedAt, DateTime now)
    {
        var votes = Math.Max(0, growth) + Math.Max(0, ownVotes);
        if (votes == 0) return 0;
        var hours = Math.Max(0, (now - firstListedAt).TotalHours);
        return votes / Math.Pow(hours + AgeOffsetHours, Gravity);
    }

    /// <summary>
    /// Upvotes gained within the window: the count now minus the count at the window's start. A paper first listed
    /// inside the window gained all its votes there (baseline 0); an older paper we have no count for at the window's
    /// start is measured from the first count we saw inside it.
    /// </summary>
    /// <param name="countAtWindowStart">The last recorded count at or before the window's start, if any.</param>
    /// <param name="firstCountInWindow">The first recorded count after the window's start, if any.</param>
    public static int Growth(int current, int? countAtWindowStart, int? firstCountInWindow, DateTime firstListedAt, DateTime now)
    {
        var windowStart = WindowStart(now);
        var baseline = countAtWindowStart ?? (firstListedAt >= windowStart ? 0 : firstCountInWindow ?? current);
        return Math.Max(0, current - baseline);
    }

    public static DateTime WindowStart(DateTime now) => now.AddHours(-GrowthWindowHours);

    /// <summary>The listing days that trend today: the last <see cref="ListedWithinDays"/> days, today included.</summary>
    public static (DateOnly From, DateOnly To) Period(DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        return (today.AddDays(1 - ListedWithinDays), today);
    }

    /// <summary>When a paper was first listed, for its age: the start of its first listing day, or when we first saw it that day if later.</summary>
    public static DateTime FirstListedAt(DateOnly firstDay, DateTime firstSeenAt)
    {
        var dayStart = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return firstSeenAt > dayStart && firstSeenAt < dayStart.AddDays(1) ? firstSeenAt : dayStart;
    }
}
