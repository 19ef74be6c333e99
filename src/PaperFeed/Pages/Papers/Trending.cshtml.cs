using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Papers;

/// <summary>/papers/trending: papers listed in the last two weeks by their stored trending score (the trending job keeps it current).</summary>
[OutputCache(PolicyName = PageCache.Policy)]
public sealed class TrendingModel(CatalogDbContext db, TimeProvider time, IOptions<SiteOptions> site) : PageModel
{
    public ListView View { get; private set; } = null!;
    public DateOnly From { get; private set; }
    public Shared.PeriodSwitch Switch { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (!PaperFilter.TryRead(Request.Query, out var filter, out _) || !ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage) return BadRequest();
        // The order is what this page is: a sort= in the URL changes nothing.
        filter = filter with { Sort = PaperSort.Trending };
        if (!PaperList.TryReadCursor(Request.Query, filter.Sort, out var cursor)) return BadRequest();
        var period = Trending.Period(time.GetUtcNow().UtcDateTime);
        From = period.From;
        Switch = new Shared.PeriodSwitch(period.To, "trending");
        var list = await PaperList.LoadAsync(db, filter, page ?? 1, site.Value.PageSize, ct, period, cursor: cursor);
        View = new ListView(list, "/papers/trending", "Trending papers") { Sortable = false };
        return ListView.AsFeed(this, format, View, site.Value.BaseUrl) ?? Page();
    }
}
