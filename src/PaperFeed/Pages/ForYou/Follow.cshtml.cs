using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Site;
using PaperFeed.Votes;

namespace PaperFeed.Pages.ForYou;

/// <summary>
/// POST /follow with kind=author|topic, value (the author's name as the paper <c>paperId</c> spells it, or the topic's slug) and
/// follow=true|false (false is the unfollow): the state the reader wants. A form post comes back to the page it came from.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class FollowModel(CatalogDbContext db, UserManager<User> users, TimeProvider time) : PageModel
{
    /// <summary>A GET never changes anything: the reader's follows are listed on their interests page.</summary>
    public IActionResult OnGet() => LocalRedirect("/account/interests#follows");

    public async Task<IActionResult> OnPostAsync(string? kind, string? value, bool follow, long? paperId, string? returnUrl, CancellationToken ct)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > ReaderRule.MaxValueLength) return BadRequest();
        RuleKind? rule = kind switch { "author" => RuleKind.FollowAuthor, "topic" => RuleKind.FollowTopic, _ => null };
        if (rule is null) return BadRequest();
        // Only what exists can be followed: an author of the paper the form is on, a topic of the catalog (an unfollow needs neither).
        if (follow && rule == RuleKind.FollowTopic && !await db.Topics.AnyAsync(t => t.Slug == value, ct)) return NotFound();
        if (follow && rule == RuleKind.FollowAuthor && !await db.Papers.AnyAsync(p => p.Id == paperId && !p.Hidden && p.Authors.Contains(value), ct)) return NotFound();
        if (!await Follows.SetAsync(db, users.GetUserId(User)!, rule.Value, value, follow, time.GetUtcNow().UtcDateTime, ct))
            return this.BadRequestBecause($"You follow {Follows.MaxFollows} already: unfollow some on your interests page first.");
        return this.JsonOrBack(new { following = follow }, returnUrl);
    }
}
