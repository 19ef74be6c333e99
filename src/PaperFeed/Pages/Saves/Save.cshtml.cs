using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Papers;
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
    public async Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct)
    {
        // A GET never saves: after signing in from a save button, the reader lands on the paper.
        var key = await db.Papers.Where(p => p.Id == paperId).Select(p => p.Key).SingleOrDefaultAsync(ct);
        return key is null ? NotFound() : LocalRedirect(PaperLinks.PagePath(key));
    }

    public async Task<IActionResult> OnPostAsync(long paperId, bool save, string? returnUrl, CancellationToken ct)
    {
        var saved = await saves.SetAsync(users.GetUserId(User)!, paperId, save, ct);
        if (saved is null) return NotFound();
        if (Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
            return new JsonResult(new { saved });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
