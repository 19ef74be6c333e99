using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Papers;

/// <summary>/papers/trending: papers listed in the last two weeks by their stored trending score (the trending job keeps it current).</summary>
[OutputCache(PolicyName = PageCache.Policy)]
public sealed class TrendingModel(CatalogDbContext db, TimeProvider time, IOptions<AppOptions> site, VoteState votes) : PageModel
{
    public ListView View { get; private set; } = null!;
    public DateOnly From { get; private set; }
    public Shared.PeriodSwitch Switch { get; private set; } = null!;
    /// <summary>Set when nothing was listed in the last two weeks and the page shows the two weeks up to this day instead.</summary>
    public DateOnly? LatestListedDay { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (!PaperFilter.TryRead(Request.Query, out var filter, out var problem)) return this.BadRequestBecause(problem);
        if (!ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage) return BadRequest();
        // The order is what this page is: a sort= in the URL changes nothing.
        filter = filter with { Sort = PaperSort.Trending };
        if (!PaperList.TryReadCursor(Request.Query, filter.Sort, out var cursor)) return BadRequest();
        var period = Trending.Period(time.GetUtcNow().UtcDateTime);
        // A quiet source or an imported archive: nothing listed lately. Show the latest two weeks that have papers
        // (and say so) rather than a blank page whose tabs lead to empty days.
        if (await db.LatestDayAsync(ct) is { } latest && latest < period.From)
        {
            period = (latest.AddDays(-(Trending.ListedWithinDays - 1)), latest);
            LatestListedDay = latest;
        }
        From = period.From;
        Switch = new Shared.PeriodSwitch(period.To, "trending");
        var list = await PaperList.LoadAsync(db, filter, page ?? 1, site.Value.PageSize, ct, period, cursor: cursor);
        View = new ListView(list, "/papers/trending", "Trending papers") { Sortable = false };
        if (ListView.AsFeed(this, format, View, site.Value.BaseUrl) is { } feed) return feed;
        await votes.LoadAsync(View.List.Papers.Select(p => p.Id), ct);
        return Page();
    }
}
