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
        var local = Local(subscription, now);
        return local.Hour < subscription.SendHour ? null : SentOn(subscription, DateOnly.FromDateTime(local));
    }

    /// <summary>
    /// The current period (when due) and, oldest first, the periods whose send time fell in the last <paramref name="catchUpDays"/>
    /// days after the subscription was confirmed: a digest missed while the app was down goes out late, once (the delivery row
    /// per period decides), instead of never.
    /// </summary>
    public static IReadOnlyList<DigestPeriod> Due(Subscription subscription, DateTimeOffset now, int catchUpDays)
    {
        var local = Local(subscription, now);
        var today = DateOnly.FromDateTime(local);
        var periods = new List<DigestPeriod>();
        if (subscription.ActivatedAt is { } confirmed)
        {
            var since = Local(subscription, new DateTimeOffset(DateTime.SpecifyKind(confirmed, DateTimeKind.Utc)));
            for (var day = today.AddDays(-catchUpDays); day < today; day = day.AddDays(1))
                if (day.ToDateTime(new TimeOnly(subscription.SendHour, 0)) >= since && SentOn(subscription, day) is { } missed)
                    periods.Add(missed);
        }
        if (For(subscription, now) is { } current) periods.Add(current);
        return periods;
    }

    /// <summary>The period whose digest goes out on <paramref name="day"/> (the reader's date), or null when none does.</summary>
    private static DigestPeriod? SentOn(Subscription subscription, DateOnly day)
    {
        if (subscription.Frequency == DigestFrequency.Weekly)
        {
            if (day.DayOfWeek != subscription.WeeklyDay) return null;
            // The Sunday that ended the last complete ISO week (Monday..Sunday).
            var sunday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7) - 1);
            var monday = sunday.AddDays(-6);
            var date = monday.ToDateTime(TimeOnly.MinValue);
            var id = string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}");
            return new DigestPeriod(id, monday, sunday);
        }

        if (!IsAnnouncementDay(day)) return null;
        var previous = day.AddDays(-1);
        while (!IsAnnouncementDay(previous)) previous = previous.AddDays(-1);
        return new DigestPeriod(previous.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), previous, day.AddDays(-1));
    }

    private static DateTime Local(Subscription subscription, DateTimeOffset at)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(subscription.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(at, zone).DateTime;
    }

    public static bool IsAnnouncementDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
