using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Digests;
using PaperFeed.ForYou;
using PaperFeed.Votes;

namespace PaperFeed.Pages.Digests;

/// <summary>
/// RFC 8058-style one-click feedback: a POST with the signed token and no cookies or antiforgery token records the
/// signal at once and answers a plain 200; a GET (a person, a scanner) lands on the page with the button.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class FeedbackOneClickModel(DigestLinks links, VoteService votes, NotForMeService notForMe) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Digests/Feedback", new { token = Token });

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await links.FindFeedbackAsync(Token, ct) is not { } feedback
            || !await FeedbackModel.RecordAsync(votes, notForMe, feedback.UserId, feedback.PaperId, feedback.Up, ct))
            return new ContentResult { StatusCode = StatusCodes.Status400BadRequest, Content = "This feedback link is not valid.\n", ContentType = "text/plain; charset=utf-8" };
        return Content(feedback.Up ? "Upvoted.\n" : "Marked not for me.\n", "text/plain; charset=utf-8");
    }
}
