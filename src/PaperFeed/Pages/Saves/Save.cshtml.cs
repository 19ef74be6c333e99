using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Votes;

namespace PaperFeed.Pages.Saves;

/// <summary>
/// POST /save/{paperId} with save=true|false: the bookmark state the reader wants. A form post comes back to the
/// page it came from; a request that asks for JSON gets the new state.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class SaveModel(SaveService saves, UserManager<User> users, CatalogDbContext db) : PageModel
{
    public Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct) => this.ToPaperAsync(db, paperId, ct);

    public async Task<IActionResult> OnPostAsync(long paperId, bool save, string? returnUrl, CancellationToken ct)
    {
        var saved = await saves.SetAsync(users.GetUserId(User)!, paperId, save, ct);
        if (saved is null) return NotFound();
        return this.JsonOrBack(new { saved }, returnUrl);
    }
}
