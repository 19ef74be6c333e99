using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Papers;

public sealed class DayModel(CatalogDbContext db, TimeProvider time, IOptions<SiteOptions> site) : PageModel
{
    public DateOnly? Day { get; private set; }
    public DateOnly? Previous { get; private set; }
    public DateOnly? Next { get; private set; }
    public List<PaperCard> Papers { get; private set; } = [];
    public string EmptyReason { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? date, CancellationToken ct)
    {
        if (date is null)
        {
            // The home page: the latest day that has papers.
            Day = await db.LatestDayAsync(ct);
            if (Day is null)
            {
                EmptyReason = "The catalog is empty. Sources are fetched every few minutes; an operator can also run the import command.";
                return Page();
            }
        }
        else if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            Day = parsed;
        else
            return NotFound();

        var day = Day.Value;
        Papers = await db.Papers.AsNoTracking().Where(p => p.Listings.Any(l => l.Day == day))
            .Ranked().Take(site.Value.PageSize).ToCards().ToListAsync(ct);
        Previous = await db.PreviousDayAsync(day, ct);
        Next = await db.NextDayAsync(day, ct);
        if (Papers.Count == 0) EmptyReason = await ExplainEmptyDayAsync(day, ct);
        return Page();
    }

    private async Task<string> ExplainEmptyDayAsync(DateOnly day, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (day > today) return "This day has not happened yet.";
        var failing = await db.Sources.AsNoTracking().Where(s => s.Enabled && s.ConsecutiveFailures > 0).Select(s => s.Name).ToListAsync(ct);
        if (failing.Count > 0) return $"A source is failing ({string.Join(", ", failing)}), so this day may be incomplete. See the sources page.";
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return "It was a weekend: arXiv announces nothing and few papers are added on Saturdays and Sundays.";
        var lastSuccess = await db.Sources.MaxAsync(s => s.LastSuccessAt, ct);
        if (lastSuccess is null || DateOnly.FromDateTime(lastSuccess.Value) < day) return "This day has not been fetched yet.";
        return "The sources listed no papers for this day.";
    }
}
