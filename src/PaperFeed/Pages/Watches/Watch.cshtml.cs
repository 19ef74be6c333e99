using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Votes;
using PaperFeed.Watches;

namespace PaperFeed.Pages.Watches;

/// <summary>
/// POST /watch/{paperId} with watch=true|false: whether the reader wants news of the paper (new version, venue, code,
/// comments). A form post comes back to the page it came from; a request that asks for JSON gets the new state.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class WatchModel(WatchService watches, UserManager<User> users, CatalogDbContext db) : PageModel
{
    public Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct) => this.ToPaperAsync(db, paperId, ct);

    public async Task<IActionResult> OnPostAsync(long paperId, bool watch, string? returnUrl, CancellationToken ct)
    {
        var watching = await watches.SetAsync(users.GetUserId(User)!, paperId, watch, ct);
        if (watching is null) return NotFound();
        return this.JsonOrBack(new { watching }, returnUrl);
    }
}
