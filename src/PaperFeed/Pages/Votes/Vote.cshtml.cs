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

namespace PaperFeed.Pages.Votes;

/// <summary>
/// POST /vote/{paperId} with up=true|false: the state the reader wants. A form post comes back to the page it
/// came from (Post/Redirect/Get); the page's script asks for JSON and updates the count in place.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class VoteModel(VoteService votes, UserManager<User> users, CatalogDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct)
    {
        // A GET never votes: after signing in from a vote button, the reader lands on the paper.
        var key = await db.Papers.Where(p => p.Id == paperId).Select(p => p.Key).SingleOrDefaultAsync(ct);
        return key is null ? NotFound() : LocalRedirect(PaperLinks.PagePath(key));
    }

    public async Task<IActionResult> OnPostAsync(long paperId, bool up, string? returnUrl, CancellationToken ct)
    {
        var outcome = await votes.SetAsync(users.GetUserId(User)!, paperId, up, ct);
        if (outcome is null) return NotFound();
        if (Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
            return new JsonResult(new { voted = outcome.Voted, count = outcome.Count });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
