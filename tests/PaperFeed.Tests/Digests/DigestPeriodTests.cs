using PaperFeed.Digests;

namespace PaperFeed.Tests.Digests;

public sealed class DigestPeriodTests
{
    private static Subscription Daily(string zone = "UTC", int hour = 7) => new() { Email = "a@example.org", TimeZone = zone, SendHour = hour };

    private static DateTimeOffset Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Daily_on_a_weekday_after_the_send_hour_is_the_previous_day()
    {
        var period = DigestPeriod.For(Daily(), Utc(6, 12, 8)); // Friday
        Assert.Equal(new DigestPeriod("2026-06-11", new DateOnly(2026, 6, 11), new DateOnly(2026, 6, 11)), period);
    }

    [Fact]
    public void Daily_before_the_send_hour_is_not_due() => Assert.Null(DigestPeriod.For(Daily(hour: 9), Utc(6, 12, 8)));

    [Theory]
    [InlineData(13)] // Saturday
    [InlineData(14)] // Sunday
    public void Daily_is_not_due_at_weekends(int day) => Assert.Null(DigestPeriod.For(Daily(), Utc(6, day, 12)));

    [Fact]
    public void Monday_covers_friday_and_the_weekend_under_fridays_id()
    {
        var period = DigestPeriod.For(Daily(), Utc(6, 15, 7));
        Assert.Equal(new DigestPeriod("2026-06-12", new DateOnly(2026, 6, 12), new DateOnly(2026, 6, 14)), period);
    }

    [Fact]
    public void The_readers_time_zone_decides_the_day_and_hour()
    {
        // 22:00 UTC Monday is 07:00 Tuesday in Tokyo: due, for Monday.
        var tokyo = DigestPeriod.For(Daily("Asia/Tokyo"), Utc(6, 15, 22));
        Assert.Equal("2026-06-15", tokyo?.Id);
        // 05:00 UTC Monday is still Sunday night in New York.
        Assert.Null(DigestPeriod.For(Daily("America/New_York"), Utc(6, 15, 5)));
    }

    [Fact]
    public void Weekly_on_its_day_is_the_iso_week_just_ended()
    {
        var weekly = new Subscription { Email = "w@example.org", Frequency = DigestFrequency.Weekly, WeeklyDay = DayOfWeek.Wednesday };
        Assert.Null(DigestPeriod.For(weekly, Utc(6, 16, 12))); // Tuesday
        var period = DigestPeriod.For(weekly, Utc(6, 17, 12));
        Assert.Equal(new DigestPeriod("2026-W24", new DateOnly(2026, 6, 8), new DateOnly(2026, 6, 14)), period);
        weekly.WeeklyDay = DayOfWeek.Monday;
        Assert.Equal("2026-W24", DigestPeriod.For(weekly, Utc(6, 15, 7))?.Id);
        Assert.Equal("2026-W02", DigestPeriod.For(weekly, new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero))?.Id);
    }

    [Fact]
    public void An_unknown_time_zone_falls_back_to_utc() => Assert.NotNull(DigestPeriod.For(Daily("Nowhere/Atlantis"), Utc(6, 12, 8)));

    [Fact]
    public void Missed_periods_within_the_catch_up_days_come_first_then_the_current_one()
    {
        var s = Daily();
        s.ActivatedAt = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        // Friday 12 June 08:00: Wednesday's and Thursday's digests (Tuesday's and Wednesday's listings) were missed.
        var due = DigestPeriod.Due(s, Utc(6, 12, 8), catchUpDays: 2);
        Assert.Equal(["2026-06-09", "2026-06-10", "2026-06-11"], due.Select(p => p.Id));
        Assert.Equal(["2026-06-11"], DigestPeriod.Due(s, Utc(6, 12, 8), catchUpDays: 0).Select(p => p.Id));
        // Monday: the weekend sends nothing, so with 3 days Friday's digest (Thursday's listings) is the one missed.
        Assert.Equal(["2026-06-11", "2026-06-12"], DigestPeriod.Due(s, Utc(6, 15, 8), catchUpDays: 3).Select(p => p.Id));
    }

    [Fact]
    public void Nothing_is_caught_up_from_before_the_subscription_became_active()
    {
        var s = Daily();
        s.ActivatedAt = new DateTime(2026, 6, 11, 7, 30, 0, DateTimeKind.Utc); // after Thursday's 07:00
        Assert.Equal(["2026-06-11"], DigestPeriod.Due(s, Utc(6, 12, 8), catchUpDays: 3).Select(p => p.Id));
        s.ActivatedAt = null;
        Assert.Equal(["2026-06-11"], DigestPeriod.Due(s, Utc(6, 12, 8), catchUpDays: 3).Select(p => p.Id));
        // Before today's send hour only missed periods are due.
        s.ActivatedAt = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(["2026-06-10"], DigestPeriod.Due(s, Utc(6, 12, 6), catchUpDays: 1).Select(p => p.Id));
    }

    [Fact]
    public void A_missed_weekly_digest_is_caught_up_within_the_window_only()
    {
        var weekly = new Subscription { Email = "a@example.org", Frequency = DigestFrequency.Weekly, WeeklyDay = DayOfWeek.Monday, SendHour = 7,
            ActivatedAt = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc) };
        Assert.Equal(["2026-W24"], DigestPeriod.Due(weekly, Utc(6, 17, 12), catchUpDays: 3).Select(p => p.Id)); // Wednesday
        Assert.Empty(DigestPeriod.Due(weekly, Utc(6, 19, 12), catchUpDays: 3)); // Friday: too late
    }
}
