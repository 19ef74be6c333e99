using System.Globalization;
using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public class IsoWeekTests
{
    [Theory]
    [InlineData("2026-W01", 2025, 12, 29)]
    [InlineData("2026-W24", 2026, 6, 8)]
    [InlineData("2025-W01", 2024, 12, 30)]
    [InlineData("2021-W01", 2021, 1, 4)]
    [InlineData("2020-W53", 2020, 12, 28)]
    public void Parses_to_the_monday_of_the_iso_week(string text, int year, int month, int day)
    {
        Assert.True(IsoWeek.TryParse(text, out var monday));
        Assert.Equal(new DateOnly(year, month, day), monday);
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
    }

    [Fact]
    public void Week_53_is_valid_exactly_in_years_that_have_53_weeks()
    {
        // 2026 starts on a Thursday, so it has 53 ISO weeks; 2025 has 52.
        Assert.Equal(53, ISOWeek.GetWeeksInYear(2026));
        Assert.Equal(52, ISOWeek.GetWeeksInYear(2025));

        Assert.True(IsoWeek.TryParse("2026-W53", out var monday));
        Assert.Equal(new DateOnly(2026, 12, 28), monday);
        Assert.False(IsoWeek.TryParse("2025-W53", out _));
    }

    [Theory]
    [InlineData("2026-W00")]
    [InlineData("2026-W54")]
    [InlineData("2026-W99")]
    [InlineData("2026W01")]
    [InlineData("2026-W1")]
    [InlineData("2026-w01")]
    [InlineData("2026-01")]
    [InlineData("abcd-W01")]
    [InlineData("0000-W01")]
    [InlineData("+026-W01")]
    [InlineData("2026-W+1")]
    [InlineData(" 2026-W01")]
    [InlineData("")]
    public void Rejects_malformed_or_out_of_range_weeks(string text)
    {
        Assert.False(IsoWeek.TryParse(text, out _));
    }
}

public class PapersApiPeriodTests
{
    [Fact]
    public void No_period_means_no_filter()
    {
        Assert.True(PapersApi.TryPeriod(null, null, null, out var from, out var to, out var problem));
        Assert.Null(from);
        Assert.Null(to);
        Assert.Null(problem);
    }

    [Fact]
    public void A_date_is_a_one_day_period()
    {
        Assert.True(PapersApi.TryPeriod("2026-06-12", null, null, out var from, out var to, out _));
        Assert.Equal(new DateOnly(2026, 6, 12), from);
        Assert.Equal(new DateOnly(2026, 6, 12), to);
    }

    [Fact]
    public void A_week_runs_from_monday_to_sunday()
    {
        Assert.True(PapersApi.TryPeriod(null, "2026-W01", null, out var from, out var to, out _));
        Assert.Equal(new DateOnly(2025, 12, 29), from);
        Assert.Equal(new DateOnly(2026, 1, 4), to);
    }

    [Theory]
    [InlineData("2026-06", 2026, 6, 1, 2026, 6, 30)]
    [InlineData("2026-02", 2026, 2, 1, 2026, 2, 28)]
    [InlineData("2028-02", 2028, 2, 1, 2028, 2, 29)]
    [InlineData("2026-12", 2026, 12, 1, 2026, 12, 31)]
    public void A_month_runs_from_its_first_to_its_last_day(string month, int y1, int m1, int d1, int y2, int m2, int d2)
    {
        Assert.True(PapersApi.TryPeriod(null, null, month, out var from, out var to, out _));
        Assert.Equal(new DateOnly(y1, m1, d1), from);
        Assert.Equal(new DateOnly(y2, m2, d2), to);
    }

    [Theory]
    [InlineData("2026-13-01", null, null, "date must be YYYY-MM-DD")]
    [InlineData("2026-02-30", null, null, "date must be YYYY-MM-DD")]
    [InlineData("12/06/2026", null, null, "date must be YYYY-MM-DD")]
    [InlineData("2026-06-12T00:00:00Z", null, null, "date must be YYYY-MM-DD")]
    [InlineData("", null, null, "date must be YYYY-MM-DD")]
    [InlineData("2026-6-1", null, null, "date must be YYYY-MM-DD")]
    [InlineData(null, "2026-W54", null, "week must be YYYY-Www")]
    [InlineData(null, "2026-24", null, "week must be YYYY-Www")]
    [InlineData(null, null, "2026-13", "month must be YYYY-MM")]
    [InlineData(null, null, "2026-6", "month must be YYYY-MM")]
    [InlineData(null, null, "2026-06-12", "month must be YYYY-MM")]
    [InlineData(null, null, "June 2026", "month must be YYYY-MM")]
    public void Bad_values_are_refused_with_a_message(string? date, string? week, string? month, string expected)
    {
        Assert.False(PapersApi.TryPeriod(date, week, month, out var from, out var to, out var problem));
        Assert.Equal(expected, problem);
        Assert.Null(from);
        Assert.Null(to);
    }
}
