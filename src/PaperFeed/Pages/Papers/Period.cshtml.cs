using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Papers;

/// <summary>/papers/week/YYYY-Www and /papers/month/YYYY-MM, as on Hugging Face.</summary>
[OutputCache(PolicyName = PageCache.Policy)]
public sealed class PeriodModel(CatalogDbContext db, IOptions<AppOptions> site, VoteState votes) : PageModel
{
    public ListView View { get; private set; } = null!;
    public string Heading { get; private set; } = "";
    public string? PreviousUrl { get; private set; }
    public string? NextUrl { get; private set; }
    public string? PreviousLabel { get; private set; }
    public string? NextLabel { get; private set; }
    public DateOnly From { get; private set; }
    public Shared.PeriodSwitch Switch { get; private set; } = null!;

    // "page" is also Razor Pages' route value, so it is read from the query string explicitly.
    public async Task<IActionResult> OnGetAsync(string kind, string period, [FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (kind == "week")
        {
            if (!IsoWeek.TryParse(period, out var monday)) return NotFound();
            From = monday;
            Heading = $"Week {ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue))}, {monday:d MMM} – {monday.AddDays(6):d MMM yyyy}";
            (PreviousUrl, PreviousLabel) = ("/papers/week/" + WeekId(monday.AddDays(-7)), "Previous week");
            (NextUrl, NextLabel) = ("/papers/week/" + WeekId(monday.AddDays(7)), "Next week");
        }
        else
        {
            if (!DateOnly.TryParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year is < 2 or > 9998) return NotFound();
            From = first;
            Heading = first.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
            (PreviousUrl, PreviousLabel) = ("/papers/month/" + first.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture), first.AddMonths(-1).ToString("MMMM", CultureInfo.InvariantCulture));
            (NextUrl, NextLabel) = ("/papers/month/" + first.AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture), first.AddMonths(1).ToString("MMMM", CultureInfo.InvariantCulture));
        }
        if (!PaperFilter.TryRead(Request.Query, out var filter, out var problem)) return this.BadRequestBecause(problem);
        if (!ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage
            || !PaperList.TryReadCursor(Request.Query, filter.Sort, out var cursor)) return BadRequest();
        filter = filter.ForReader(User);

        Switch = new Shared.PeriodSwitch(From, kind);
        var to = kind == "week" ? From.AddDays(6) : From.AddMonths(1).AddDays(-1);
        var list = await PaperList.LoadAsync(db, filter, page ?? 1, site.Value.PageSize, ct, (From, to), cursor: cursor, reader: User.ReaderId());
        View = new ListView(list, $"/papers/{kind}/{period}", $"Papers of {Heading}");
        if (ListView.AsFeed(this, format, View, site.Value.BaseUrl) is { } feed) return feed;
        await votes.LoadAsync(View.List.Papers.Select(p => p.Id), ct);
        return Page();
    }

    public static string WeekId(DateOnly day)
    {
        var date = day.ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}";
    }
}
