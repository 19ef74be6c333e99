using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Votes;

namespace PaperFeed.Pages.ForYou;

/// <summary>
/// POST /less-like-this/{paperId} with mark=true|false: the state the reader wants (false is the undo). A form post
/// comes back to the page it came from; the page's script asks for JSON.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class LessLikeModel(LessLikeService lessLike, UserManager<User> users, CatalogDbContext db) : PageModel
{
    public Task<IActionResult> OnGetAsync(long paperId, CancellationToken ct) => this.ToPaperAsync(db, paperId, ct);

    public async Task<IActionResult> OnPostAsync(long paperId, bool mark, string? returnUrl, CancellationToken ct)
    {
        var marked = await lessLike.SetAsync(users.GetUserId(User)!, paperId, mark, ct);
        if (marked is null) return NotFound();
        return this.JsonOrBack(new { lessLike = marked }, returnUrl);
    }
}
