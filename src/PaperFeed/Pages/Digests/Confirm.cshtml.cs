using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Data;
using PaperFeed.Digests;

namespace PaperFeed.Pages.Digests;

/// <summary>The confirmation link opens a page with a button: mail scanners that follow links confirm nothing.</summary>
public sealed class ConfirmModel(CatalogDbContext db, DigestLinks links, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    public Subscription? Subscription { get; private set; }
    public string? PreferencesUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var subscription = await links.FindAsync(Token, DigestTokenPurpose.Confirm, ct);
        if (subscription?.Status == SubscriptionStatus.Pending)
        {
            subscription.Activate(time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
        }
        if (subscription is null) return await ShowAsync(ct);
        return RedirectToPage(new { token = Token });
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        Subscription = await links.FindAsync(Token, DigestTokenPurpose.Confirm, ct);
        // A request that ended since the link was sent (unsubscribed, suspended) needs a new one.
        if (Subscription?.Status is not (SubscriptionStatus.Pending or SubscriptionStatus.Active or SubscriptionStatus.Paused))
        {
            Subscription = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (Subscription.Status != SubscriptionStatus.Pending) PreferencesUrl = links.PreferencesUrl(Subscription);
        return Page();
    }
}
