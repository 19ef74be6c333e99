using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Accounts;
using PaperFeed.Digests;

namespace PaperFeed.Pages.Admin;

/// <summary>/admin/digests: subscriptions suspended after bounces (reactivate), deliveries not sent, and a test digest to oneself.</summary>
[Authorize(Policy = AccountsExtensions.AdminPolicy)]
public sealed class DigestsModel(DigestAdministration admin, TestDigest test, UserManager<User> users, ILogger<DigestsModel> logger) : PageModel
{
    public List<DigestAdministration.SuspendedRow> Suspended { get; private set; } = [];
    public List<DigestAdministration.DeliveryRow> Unsent { get; private set; } = [];
    public string? MyEmail { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        MyEmail = (await users.GetUserAsync(User))?.Email;
        Suspended = await admin.SuspendedAsync(ct);
        Unsent = await admin.UnsentAsync(100, ct);
    }

    public async Task<IActionResult> OnPostReactivateAsync(long id, CancellationToken ct)
    {
        var email = await admin.ReactivateAsync(id, ct);
        if (email is null) return NotFound();
        logger.LogInformation("Subscription {SubscriptionId} ({Email}) reactivated by {Admin}", id, email, User.Identity?.Name);
        Message = $"{email} receives digests again.";
        return RedirectToPage();
    }

    /// <summary>Through the real sender to the administrator's own address; no delivery is recorded for any subscription.</summary>
    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        var email = (await users.GetUserAsync(User))?.Email;
        if (email is null) return Challenge();
        Message = await test.SendAsync(email, ct)
            ? $"A test digest of the latest day was sent to {email}."
            : "No papers are listed yet: there is no digest to send.";
        return RedirectToPage();
    }
}
