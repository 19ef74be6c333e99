using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Papers;

namespace PaperFeed.Pages.Papers;

/// <summary>A signed-in reader adds a paper to today's list by arXiv id or link; the paper's page says it worked (PRG).</summary>
[Authorize]
[EnableRateLimiting(AccountsExtensions.VoteLimit)]
public sealed class SubmitModel(PaperSubmission submission) : PageModel
{
    [BindProperty, Display(Name = "arXiv id or link")] public string? Paper { get; set; }
    /// <summary>Why the last attempt was refused; when the paper exists, a link to it.</summary>
    public string? Refusal { get; private set; }
    public string? ExistingUrl { get; private set; }
    /// <summary>Shown on the paper's page after the redirect.</summary>
    [TempData] public string? Message { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var outcome = await submission.SubmitAsync(Paper, SubmitterName(), ct);
        if (outcome.Added)
        {
            Message = outcome.Message;
            return Redirect(PaperLinks.PagePath(outcome.PaperKey!));
        }
        Refusal = outcome.Message;
        ExistingUrl = outcome.PaperKey is { } key ? PaperLinks.PagePath(key) : null;
        // Echo a long paste only in part: the field is for an id or a link.
        if (Paper?.Length > PaperSubmission.MaxInputLength) Paper = Paper[..PaperSubmission.MaxInputLength];
        return Page();
    }

    /// <summary>The user name is the email address, which is never published: only its part before the @ is shown.</summary>
    private string SubmitterName()
    {
        var name = User.Identity?.Name ?? "reader";
        var at = name.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? name[..at] : name;
    }
}
