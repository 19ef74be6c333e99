using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.ForYou;
using PaperFeed.Votes;

namespace PaperFeed.Pages.Digests;

/// <summary>
/// A digest's 👍 / 👎 link: the page asks first (a link scanner changes nothing), its button records the signal for the
/// account behind the subscription without signing in. Each request says the state it wants, so following it twice records one signal.
/// </summary>
public sealed class FeedbackModel(CatalogDbContext db, DigestLinks links, VoteService votes, NotForMeService notForMe) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    public bool Valid { get; private set; }
    public bool Up { get; private set; }
    public bool Recorded { get; private set; }
    public string? PaperTitle { get; private set; }
    public string? PaperKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool done, CancellationToken ct)
    {
        if (await links.FindFeedbackAsync(Token, ct) is not { } feedback) return Invalid();
        if (await db.Papers.AsNoTracking().Where(p => p.Id == feedback.PaperId && !p.Hidden).Select(p => new { p.Title, p.Key }).FirstOrDefaultAsync(ct) is not { } paper)
            return Invalid();
        (Valid, Up, Recorded, PaperTitle, PaperKey) = (true, feedback.Up, done, paper.Title, paper.Key);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await links.FindFeedbackAsync(Token, ct) is not { } feedback) return Invalid();
        if (!await RecordAsync(votes, notForMe, feedback.UserId, feedback.PaperId, feedback.Up, ct)) return Invalid();
        return RedirectToPage(new { token = Token, done = true });
    }

    /// <summary>An upvote or a "not for me" mark; false when the paper is gone.</summary>
    public static async Task<bool> RecordAsync(VoteService votes, NotForMeService notForMe, string userId, long paperId, bool up, CancellationToken ct) =>
        up ? await votes.SetAsync(userId, paperId, true, ct) is not null : await notForMe.SetAsync(userId, paperId, true, ct) is not null;

    private PageResult Invalid()
    {
        Valid = false;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
