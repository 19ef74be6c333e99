using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public sealed class TrendingTests
{
    private static readonly DateTime Now = new(2026, 6, 20, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Score_is_votes_over_age_plus_two_to_the_one_and_a_half()
    {
        Assert.Equal(10 / Math.Pow(10 + 2, 1.5), Trending.Score(10, 0, Now.AddHours(-10), Now), 10);
        Assert.Equal(0, Trending.Score(0, 0, Now.AddHours(-1), Now));
    }

    [Fact]
    public void Fresh_growth_beats_a_larger_old_count()
    {
        var fresh = Trending.Score(20, 0, Now.AddHours(-6), Now);
        var old = Trending.Score(60, 0, Now.AddHours(-70), Now);
        Assert.True(fresh > old);
    }

    [Fact]
    public void Growth_is_measured_from_the_count_at_the_window_start()
    {
        Assert.Equal(15, Trending.Growth(115, countAtWindowStart: 100, firstCountInWindow: 105, Now.AddDays(-10), Now));
    }

    [Fact]
    public void A_paper_listed_inside_the_window_gained_all_its_votes_there()
    {
        Assert.Equal(40, Trending.Growth(40, null, 30, Now.AddHours(-20), Now));
    }

    [Fact]
    public void An_older_paper_first_counted_inside_the_window_grows_from_that_count()
    {
        Assert.Equal(5, Trending.Growth(105, null, 100, Now.AddDays(-5), Now));
        Assert.Equal(0, Trending.Growth(105, null, null, Now.AddDays(-5), Now));
        Assert.Equal(0, Trending.Growth(90, 100, null, Now.AddDays(-5), Now));
    }

    [Fact]
    public void The_trending_period_is_the_last_fourteen_days_including_today()
    {
        Assert.Equal((new DateOnly(2026, 6, 7), new DateOnly(2026, 6, 20)), Trending.Period(Now));
    }

    [Fact]
    public void First_listed_is_the_first_sighting_on_the_listing_day_else_the_day_start()
    {
        var day = new DateOnly(2026, 6, 19);
        Assert.Equal(new DateTime(2026, 6, 19, 9, 30, 0, DateTimeKind.Utc), Trending.FirstListedAt(day, new DateTime(2026, 6, 19, 9, 30, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 6, 19, 0, 0, 0, DateTimeKind.Utc), Trending.FirstListedAt(day, new DateTime(2026, 6, 25, 9, 30, 0, DateTimeKind.Utc)));
    }
}
