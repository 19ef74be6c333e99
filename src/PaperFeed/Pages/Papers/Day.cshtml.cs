using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Papers;

[OutputCache(PolicyName = PageCache.Policy)]
public sealed class DayModel(CatalogDbContext db, TimeProvider time, IOptions<AppOptions> site, VoteState votes) : PageModel
{
    public const string FeaturedTab = "featured";
    public const string AllTab = "all";

    public DateOnly? Day { get; private set; }
    public DateOnly? Previous { get; private set; }
    public DateOnly? Next { get; private set; }
    public string Tab { get; private set; } = FeaturedTab;
    public int? SourceId { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int PageCount { get; private set; }
    public int FeaturedCount { get; private set; }
    public int AllCount { get; private set; }
    /// <summary>Papers in this view: the tab's count, or the source's when filtered.</summary>
    public int Total { get; private set; }
    public List<PaperCard> Papers { get; private set; } = [];
    public List<SourceOption> Sources { get; private set; } = [];
    public string EmptyReason { get; private set; } = "";
    public PaperFilter Filter { get; private set; } = new();
    public ListView? View { get; private set; }
    public Shared.PeriodSwitch? Switch { get; private set; }
    /// <summary>Papers of this view the reader's mute rules hide.</summary>
    public int Hidden { get; private set; }

    public sealed record SourceOption(int Id, string Name, int Count);

    // "page" is also Razor Pages' route value (the page's name), so it is read from the query string explicitly.
    public async Task<IActionResult> OnGetAsync(string? date, string? tab, [FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (date is null)
        {
            // The home page: the latest day that has papers.
            Day = await db.LatestDayAsync(ct);
            if (Day is null)
            {
                EmptyReason = await ExplainNoListedDayAsync(ct);
                return Page();
            }
        }
        else if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            Day = parsed;
        else
            return NotFound();
        if (tab is not (null or FeaturedTab or AllTab) || !ModelState.IsValid || page is < 1 or > 100_000) return BadRequest();
        if (!PaperFilter.TryRead(Request.Query, out var filter, out var problem)) return this.BadRequestBecause(problem);
        filter = filter.ForReader(User);
        Filter = filter;

        var day = Day.Value;
        Switch = new Shared.PeriodSwitch(day, "day");
        // topic=, q= and sort= narrow the day like any list; the source filter belongs to the All tab.
        var unmuted = db.Papers.AsNoTracking().Visible().Filtered(db, filter with { SourceId = null });
        // The reader's mute rules take their papers out of every tab and count (MuteRules); the page says how many.
        var mutes = await MuteRules.ForReaderAsync(db, User.ReaderId(), ct);
        var visible = unmuted.Unmuted(mutes);
        FeaturedCount = await visible.FeaturedOn(day, site.Value.FeaturedUpvotes).CountAsync(ct);
        AllCount = await visible.ListedOn(day).CountAsync(ct);
        // A day with no curated papers (arXiv only) opens on everything announced.
        Tab = tab ?? (FeaturedCount == 0 ? AllTab : FeaturedTab);
        SourceId = Tab == AllTab ? filter.SourceId : null;
        PageNumber = page ?? 1;

        var papers = Tab == AllTab ? visible.ListedOn(day, SourceId) : visible.FeaturedOn(day, site.Value.FeaturedUpvotes);
        if (mutes.Count > 0)
            Hidden = await (Tab == AllTab ? unmuted.ListedOn(day, SourceId) : unmuted.FeaturedOn(day, site.Value.FeaturedUpvotes)).Muted(mutes)
                .Take(PaperList.MaxCounted + 1).CountAsync(ct);
        var size = site.Value.PageSize;
        Total = SourceId is null ? (Tab == AllTab ? AllCount : FeaturedCount) : await papers.CountAsync(ct);
        PageCount = Math.Max(1, (Total + size - 1) / size);
        var ranked = filter.Sort == PaperSort.ForYou && User.ReaderId() is { } reader
            ? await ForYouRanking.RankAsync(db, reader, papers, filter, PageNumber, size, ct)
            : null;
        if (ranked is not null)
        {
            // "Not for me" papers leave the reader's ranked list.
            Total = ranked.Total;
            PageCount = Math.Max(1, (Total + size - 1) / size);
        }
        Papers = ranked?.Papers ?? await papers.Sorted(filter.Sort).Skip((PageNumber - 1) * size).Take(size).ToCards().ToListAsync(ct);
        var list = new PaperList { Filter = filter with { SourceId = SourceId }, Papers = Papers, Total = Total, Page = PageNumber, PageSize = size, Hidden = Hidden };
        View = new ListView(list, DayUrl(day), $"{(Tab == AllTab ? "All new papers" : "Featured papers")}, {day:d MMMM yyyy}");
        if (ListView.AsFeed(this, format, View, site.Value.BaseUrl) is { } feed) return feed;
        if (Tab == AllTab && AllCount > 0)
        {
            var counts = await db.Listings.AsNoTracking().Where(l => l.Day == day && !l.Paper.Hidden)
                .GroupBy(l => l.SourceId).Select(g => new { SourceId = g.Key, Count = g.Count() }).ToListAsync(ct);
            var ids = counts.Select(c => c.SourceId).ToList();
            var names = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => PaperFeed.Sources.Source.ReaderName(s.Name, s.Kind), ct);
            Sources = counts.Select(c => new SourceOption(c.SourceId, names[c.SourceId], c.Count)).OrderBy(s => s.Name).ToList();
        }

        Previous = await db.PreviousDayAsync(day, ct);
        Next = await db.NextDayAsync(day, ct);
        if (Papers.Count == 0) EmptyReason = await ExplainEmptyDayAsync(day, ct);
        await votes.LoadAsync(Papers.Select(p => p.Id), ct);
        return Page();
    }

    public string DayUrl(DateOnly day) => $"/papers/date/{day:yyyy-MM-dd}";

    /// <summary>This view with one thing changed; the state lives in the URL.</summary>
    public string ViewUrl(string? tab = null, int? page = null, bool keepSource = true, PaperSort? sort = null)
    {
        var t = tab ?? Tab;
        var filter = Filter with { SourceId = keepSource && t == AllTab ? SourceId : null, Sort = sort ?? Filter.Sort };
        var query = filter.ToQueryString(("page", (page ?? 1) > 1 ? page!.Value.ToString(CultureInfo.InvariantCulture) : null)).TrimStart('?');
        var tabPart = t != FeaturedTab || tab is not null ? "tab=" + t : null;
        var all = string.Join("&", new[] { tabPart, query }.Where(x => !string.IsNullOrEmpty(x)));
        return DayUrl(Day!.Value) + (all.Length > 0 ? "?" + all : "");
    }

    private async Task<string> ExplainEmptyDayAsync(DateOnly day, CancellationToken ct)
    {
        if (AllCount > 0) return Tab == FeaturedTab ? "No curated paper for this day yet: see all new papers." : "No paper from this source on this day.";
        var today = site.Value.Today(time);
        if (!await db.Listings.AnyAsync(ct)) return await ExplainNoListedDayAsync(ct);
        if (day > today) return "This day has not happened yet.";
        var failing = await db.Sources.AsNoTracking().Where(s => s.Enabled && s.ConsecutiveFailures > 0).Select(s => s.Name).ToListAsync(ct);
        if (failing.Count > 0) return $"A source is failing ({string.Join(", ", failing)}), so this day may be incomplete. See the sources page.";
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return "It was a weekend: arXiv announces nothing and few papers are added on Saturdays and Sundays.";
        var lastSuccess = await db.Sources.MaxAsync(s => s.LastSuccessAt, ct);
        if (lastSuccess is null || DateOnly.FromDateTime(lastSuccess.Value) < day) return "This day has not been fetched yet.";
        return "The sources listed no papers for this day.";
    }

    // No day lists anything: the catalog is empty, or its papers came from files that carry no announcement day
    // (arXiv API Atom exports), which search finds but no day lists.
    private async Task<string> ExplainNoListedDayAsync(CancellationToken ct)
    {
        const string howToList = "Days are filled by the sources (fetched every few minutes), by the import command with a daily "
            + "listing (a Hugging Face daily papers file or an arXiv RSS feed), or by the backfill command for past days.";
        var searchOnly = await db.Papers.AsNoTracking().Visible().CountAsync(ct);
        return searchOnly == 0
            ? "The catalog is empty. " + howToList
            : $"No day lists any paper yet, but {searchOnly:N0} papers are in the catalog and can be found by search "
              + "(papers imported from arXiv API files carry no announcement day). " + howToList;
    }
}
