using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Data;
using PaperFeed.Digests;

namespace PaperFeed.Pages.Digests;

/// <summary>The unsubscribe link in an email's body: a page with a button (scanners change nothing), then an offer to resubscribe.</summary>
public sealed class UnsubscribeModel(CatalogDbContext db, DigestLinks links, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    public Subscription? Subscription { get; private set; }
    public string? PreferencesUrl { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Subscription = await links.FindAsync(Token, DigestTokenPurpose.Unsubscribe, ct);
        if (Subscription is null) return Invalid();
        PreferencesUrl = links.PreferencesUrl(Subscription);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var subscription = await links.FindAsync(Token, DigestTokenPurpose.Unsubscribe, ct);
        if (subscription is null) return Invalid();
        await db.UnsubscribeAsync(subscription.Id, time.GetUtcNow().UtcDateTime, ct);
        return RedirectToPage(new { token = Token });
    }

    /// <summary>The address proved itself by holding the link, so coming back needs no second confirmation.</summary>
    public async Task<IActionResult> OnPostResubscribeAsync(CancellationToken ct)
    {
        var subscription = await links.FindAsync(Token, DigestTokenPurpose.Unsubscribe, ct);
        if (subscription is null) return Invalid();
        if (subscription.Status == SubscriptionStatus.Unsubscribed)
        {
            subscription.Activate(time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(ct);
        }
        return RedirectToPage(new { token = Token });
    }

    private PageResult Invalid()
    {
        Subscription = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
