using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Sources;

namespace PaperFeed.Pages.Sources;

[Authorize(Policy = AccountsExtensions.AdminPolicy)]
public sealed class IndexModel(CatalogDbContext db, IBackgroundJobClient jobs, Jobs.JobServers servers, TimeProvider time) : PageModel
{
    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;
    public List<Source> Sources { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    /// <summary>False when no instance runs the job server: schedules and "Fetch now" do nothing until one starts.</summary>
    public bool JobServerRunning { get; private set; } = true;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Sources = await db.Sources.AsNoTracking().Where(s => s.Kind != SourceKind.Import).OrderBy(s => s.Name).ToListAsync(ct);
        JobServerRunning = servers.AnyRunning();
        InMemoryJobs = !db.Database.IsNpgsql();
    }

    /// <summary>Hangfire keeps jobs in memory on SQLite (JobsExtensions), in the catalog on PostgreSQL.</summary>
    public bool InMemoryJobs { get; private set; }

    /// <summary>"Fetch now": the same job the schedule runs, queued at once.</summary>
    public async Task<IActionResult> OnPostFetchAsync(int id, CancellationToken ct)
    {
        var source = await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return NotFound();
        if (source.OnDemand)
        {
            Message = $"{source.Name} is read when enrichment or a submission needs it: there is nothing to fetch now.";
            return RedirectToPage();
        }
        jobs.Enqueue<SourceRunner>(runner => runner.RunAsync(id, CancellationToken.None));
        Message = servers.AnyRunning() ? $"{source.Name} will be fetched in a moment." : $"{source.Name} is queued. {Jobs.JobServers.NoServer}";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPauseAsync(int id, bool paused, CancellationToken ct)
    {
        var changed = await db.Sources.Where(s => s.Id == id && s.Name != SourceRunner.ArxivApiSourceName) // on demand: nothing to pause
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Enabled, !paused), ct);
        if (changed == 0) return NotFound();
        Message = paused ? "Source paused." : "Source resumed.";
        return RedirectToPage();
    }
}
