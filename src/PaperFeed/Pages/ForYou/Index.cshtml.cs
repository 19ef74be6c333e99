using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.ForYou;

/// <summary>/for-you: the papers of the latest <see cref="Days"/> listing days, ranked for the signed-in reader; also ?format= like every list.</summary>
[Authorize]
public sealed class IndexModel(CatalogDbContext db, IOptions<AppOptions> site, VoteState votes) : PageModel
{
    public const int Days = 3;

    public DateOnly? From { get; private set; }
    public DateOnly? To { get; private set; }
    public PaperList? List { get; private set; }
    /// <summary>False when the reader has given no signal yet: the list is then in the site's order.</summary>
    public bool Ranked { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (!ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage) return BadRequest();
        To = await db.LatestDayAsync(ct);
        if (To is not { } to) return Page();
        var from = to;
        for (var i = 1; i < Days && await db.PreviousDayAsync(from, ct) is { } previous; i++) from = previous;
        From = from;
        var listed = db.Papers.AsNoTracking().Visible().ListedBetween(from, to);
        var mutes = await MuteRules.ForReaderAsync(db, User.ReaderId(), ct);
        var size = site.Value.PageSize;
        var filter = new PaperFilter { Sort = PaperSort.ForYou };
        List = await ForYouRanking.RankAsync(db, User.ReaderId()!, listed.Unmuted(mutes), filter, page ?? 1, size, ct);
        Ranked = List is not null;
        if (List is not null && mutes.Count > 0) List.Hidden = await listed.Muted(mutes).Take(PaperList.MaxCounted + 1).CountAsync(ct);
        List ??= await PaperList.LoadAsync(db, filter with { Sort = PaperSort.Top }, page ?? 1, size, ct, (from, to), reader: User.ReaderId(), mutes: mutes);
        if (ListView.AsFeed(this, format, new ListView(List, "/for-you", "For you"), site.Value.BaseUrl) is { } feed) return feed;
        await votes.LoadAsync(List.Papers.Select(p => p.Id), ct);
        return Page();
    }
}
