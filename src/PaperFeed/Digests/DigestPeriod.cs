using System.Globalization;

namespace PaperFeed.Digests;

/// <summary>A digest's period: its id ("2026-06-12" or "2026-W24") and the listing days it covers.</summary>
public sealed record DigestPeriod(string Id, DateOnly From, DateOnly To)
{
    /// <summary>
    /// Is a digest due for <paramref name="subscription"/> at <paramref name="now"/>, and for which period? Daily: on weekdays
    /// (announcement days in the reader's zone) from SendHour, the previous announcement day (Monday's digest also takes the
    /// weekend's listings). Weekly: on WeeklyDay from SendHour, the ISO week just ended. Null when not due.
    /// </summary>
    public static DigestPeriod? For(Subscription subscription, DateTimeOffset now)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(subscription.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        if (local.Hour < subscription.SendHour) return null;
        var today = DateOnly.FromDateTime(local.DateTime);

        if (subscription.Frequency == DigestFrequency.Weekly)
        {
            if (today.DayOfWeek != subscription.WeeklyDay) return null;
            // The Sunday that ended the last complete ISO week (Monday..Sunday).
            var sunday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 1);
            var monday = sunday.AddDays(-6);
            var date = monday.ToDateTime(TimeOnly.MinValue);
            var id = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
            return new DigestPeriod(id, monday, sunday);
        }

        if (!IsAnnouncementDay(today)) return null;
        var previous = today.AddDays(-1);
        while (!IsAnnouncementDay(previous)) previous = previous.AddDays(-1);
        return new DigestPeriod(previous.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), previous, today.AddDays(-1));
    }

    public static bool IsAnnouncementDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
