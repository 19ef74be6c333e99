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
    public int FeaturedCount { get; private set; }
    public int AllCount { get; private set; }
    public List<PaperCard> Papers { get; private set; } = [];
    public List<SourceOption> Sources { get; private set; } = [];
    public string EmptyReason { get; private set; } = "";
    public PaperFilter Filter { get; private set; } = new();
    public ListView? View { get; private set; }
    public Shared.PeriodSwitch? Switch { get; private set; }

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
        if (tab is not (null or FeaturedTab or AllTab) || !ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage) return BadRequest();
        if (!PaperFilter.TryRead(Request.Query, out var filter, out var problem)) return this.BadRequestBecause(problem);

        if (!PaperList.TryReadCursor(Request.Query, filter.Sort, out var cursor)) return BadRequest();
        filter = filter.ForReader(User);

        var day = Day.Value;
        Switch = new Shared.PeriodSwitch(day, "day");
        // The tabs' counts in one query: topic=, q= and sort= narrow the day like any list, and the reader's mute
        // rules take their papers out of every tab (the list says how many).
        var mutes = await MuteRules.ForReaderAsync(db, User.ReaderId(), ct);
        var upvotes = site.Value.FeaturedUpvotes;
        var counts = await db.Papers.AsNoTracking().Visible().Filtered(db, filter with { SourceId = null }).Unmuted(mutes).ListedOn(day)
            .GroupBy(_ => 1)
            .Select(g => new { All = g.Count(), Featured = g.Count(p => p.Upvotes >= upvotes || p.Listings.Any(l => l.Day == day && l.Source.Curated)) })
            .FirstOrDefaultAsync(ct);
        (AllCount, FeaturedCount) = (counts?.All ?? 0, counts?.Featured ?? 0);
        // A day with no curated papers (arXiv only) opens on everything announced.
        Tab = tab ?? (FeaturedCount == 0 ? AllTab : FeaturedTab);
        // The source filter belongs to the All tab.
        Filter = filter with { SourceId = Tab == AllTab ? filter.SourceId : null };
        SourceId = Filter.SourceId;

        var list = await PaperList.LoadAsync(db, Filter, page ?? 1, site.Value.PageSize, ct, cursor: cursor, reader: User.ReaderId(),
            day: new DayTab(day, Tab == FeaturedTab, upvotes), mutes: mutes);
        Papers = list.Papers;
        if (Papers.Count == 0) EmptyReason = await ExplainEmptyDayAsync(day, ct);
        View = new ListView(list, DayUrl(day), $"{(Tab == AllTab ? "All new papers" : "Featured papers")}, {day:d MMMM yyyy}")
        {
            ViewQuery = tab is null && Tab == FeaturedTab ? null : "tab=" + Tab,
            EmptyHeading = "No papers for this day",
            EmptyReason = EmptyReason,
        };
        if (ListView.AsFeed(this, format, View, site.Value.BaseUrl) is { } feed) return feed;
        if (Tab == AllTab && AllCount > 0)
        {
            var perSource = await db.Listings.AsNoTracking().Where(l => l.Day == day && !l.Paper.Hidden)
                .GroupBy(l => l.SourceId).Select(g => new { SourceId = g.Key, Count = g.Count() }).ToListAsync(ct);
            var ids = perSource.Select(c => c.SourceId).ToList();
            var names = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => PaperFeed.Sources.Source.ReaderName(s.Name, s.Kind), ct);
            Sources = perSource.Select(c => new SourceOption(c.SourceId, names[c.SourceId], c.Count)).OrderBy(s => s.Name).ToList();
        }

        Previous = await db.PreviousDayAsync(day, ct);
        Next = await db.NextDayAsync(day, ct);
        await votes.LoadAsync(Papers.Select(p => p.Id), ct);
        return Page();
    }

    public string DayUrl(DateOnly day) => $"/papers/date/{day:yyyy-MM-dd}";

    /// <summary>The other tab of this day, with the same filters but the source (which belongs to the All tab).</summary>
    public string TabUrl(string tab) =>
        DayUrl(Day!.Value) + "?" + string.Join("&", new[] { "tab=" + tab, (Filter with { SourceId = null }).ToQueryString().TrimStart('?') }.Where(p => p.Length > 0));

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
