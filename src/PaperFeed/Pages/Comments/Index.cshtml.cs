using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Comments;
using PaperFeed.Papers;

namespace PaperFeed.Pages.Comments;

/// <summary>
/// POST /comments?handler=…: the paper page's discussion forms. Each success goes back to the comment on the paper page
/// (Post/Redirect/Get); a comment that cannot be posted is shown here with its one-line reason and the text kept.
/// </summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.CommentLimit)]
public sealed class IndexModel(CommentService comments, UserManager<User> users, IAuthorizationService authorization) : PageModel
{
    public string? Problem { get; private set; }
    public string? PaperKey { get; private set; }
    public long PaperId { get; private set; }
    public long? ParentId { get; private set; }
    public long? CommentId { get; private set; }
    public string Body { get; private set; } = "";
    public bool NeedsHandle { get; private set; }
    public string? Handle { get; private set; }

    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAddAsync(long paperId, long? parentId, string? body, string? handle, CancellationToken ct)
    {
        var outcome = await comments.PostAsync(UserId, paperId, parentId, body, handle, ct);
        if (outcome.Problem is null) return Back(outcome);
        var user = await users.GetUserAsync(User);
        (PaperId, ParentId, Body, Handle, NeedsHandle) = (paperId, parentId, body ?? "", handle, user?.Handle is null);
        return Shown(outcome);
    }

    public async Task<IActionResult> OnPostEditAsync(long id, string? body, CancellationToken ct)
    {
        var outcome = await comments.EditAsync(UserId, id, body, ct);
        if (outcome.Problem is null) return Back(outcome);
        (CommentId, Body) = (id, body ?? "");
        return Shown(outcome);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct) => Back(await comments.DeleteAsync(UserId, id, ct));

    public async Task<IActionResult> OnPostVoteAsync(long id, bool up, CancellationToken ct) => Back(await comments.VoteAsync(UserId, id, up, ct));

    public async Task<IActionResult> OnPostReportAsync(long id, string? reason, CancellationToken ct) => Back(await comments.ReportAsync(UserId, id, reason, ct));

    public async Task<IActionResult> OnPostHideAsync(long id, bool hidden, CancellationToken ct)
    {
        if (!await authorization.IsAdminAsync(User)) return Forbid();
        return Back(await comments.SetHiddenAsync(id, hidden, ct));
    }

    private string UserId => users.GetUserId(User)!;

    private IActionResult Back(CommentOutcome outcome)
    {
        if (outcome.PaperKey is null) return NotFound();
        if (outcome.Problem is not null) return Shown(outcome);
        return Redirect(PaperLinks.PagePath(outcome.PaperKey) + (outcome.CommentId is { } id ? $"#c-{id}" : "#discussion"));
    }

    private PageResult Shown(CommentOutcome outcome)
    {
        (Problem, PaperKey) = (outcome.Problem, outcome.PaperKey);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
