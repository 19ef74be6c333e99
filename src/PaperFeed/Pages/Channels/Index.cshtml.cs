using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Channels;
using PaperFeed.Data;

namespace PaperFeed.Pages.Channels;

[Authorize]
public sealed class IndexModel(CatalogDbContext db, IAuthorizationService authorization, PostToChannelsJob job, TimeProvider time) : PageModel
{
    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;
    public List<ChatChannel> Channels { get; private set; } = [];
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Channels = await (await ChannelAccess.VisibleAsync(db, authorization, User)).AsNoTracking()
            .OrderBy(c => c.OwnerId != null).ThenBy(c => c.Name).ToListAsync(ct);

    /// <summary>"Send now": posts the view's new papers at once, as the job would (the papers are then not posted again).</summary>
    public async Task<IActionResult> OnPostSendAsync(int id, CancellationToken ct)
    {
        var channel = await (await ChannelAccess.VisibleAsync(db, authorization, User)).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null) return NotFound();
        var (posted, error) = await job.PostAsync(channel, time.GetUtcNow().UtcDateTime, ct);
        Message = error is not null ? $"{channel.Name}: {error}" : posted == 0 ? $"{channel.Name}: no new papers to post." : $"{channel.Name}: {posted} papers posted.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPauseAsync(int id, bool paused, CancellationToken ct)
    {
        var changed = await (await ChannelAccess.VisibleAsync(db, authorization, User)).Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Enabled, !paused), ct);
        if (changed == 0) return NotFound();
        Message = paused ? "Channel paused." : "Channel resumed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        var deleted = await (await ChannelAccess.VisibleAsync(db, authorization, User)).Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0) return NotFound();
        Message = "Channel deleted.";
        return RedirectToPage();
    }
}
