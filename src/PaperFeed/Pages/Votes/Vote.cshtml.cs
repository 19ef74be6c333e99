using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Data;
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
    public Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct) => this.ToPaperAsync(db, paperId, ct);

    public async Task<IActionResult> OnPostAsync(long paperId, bool up, string? returnUrl, CancellationToken ct)
    {
        var outcome = await votes.SetAsync(users.GetUserId(User)!, paperId, up, ct);
        if (outcome is null) return NotFound();
        return this.JsonOrBack(new { voted = outcome.Voted, count = outcome.Count }, returnUrl);
    }
}
