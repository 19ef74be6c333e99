using System.Globalization;
using PaperFeed.Pages.Papers;

namespace PaperFeed.Pages.Shared;

/// <summary>The day / week / month switch: each link opens the period that contains the day being viewed.</summary>
public sealed record PeriodSwitch(DateOnly Day, string Current)
{
    public string DayUrl => $"/papers/date/{Day:yyyy-MM-dd}";
    public string WeekUrl => "/papers/week/" + PeriodModel.WeekId(Day);
    public string MonthUrl => "/papers/month/" + Day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
