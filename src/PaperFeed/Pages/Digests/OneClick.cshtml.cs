using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Data;
using PaperFeed.Digests;

namespace PaperFeed.Pages.Digests;

/// <summary>
/// RFC 8058 one-click unsubscribe: the mail provider POSTs "List-Unsubscribe=One-Click" with no cookies and no
/// antiforgery token (the signed token in the address is the proof), and wants a plain 200, not a redirect.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class OneClickModel(CatalogDbContext db, DigestLinks links, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    /// <summary>A person (or a scanner) following the address lands on the page with a button.</summary>
    public IActionResult OnGet() => RedirectToPage("/Digests/Unsubscribe", new { token = Token });

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var subscription = await links.FindAsync(Token, DigestTokenPurpose.Unsubscribe, ct);
        if (subscription is null)
            return new ContentResult { StatusCode = StatusCodes.Status400BadRequest, Content = "This unsubscribe link is not valid.\n", ContentType = "text/plain; charset=utf-8" };
        await db.UnsubscribeAsync(subscription.Id, time.GetUtcNow().UtcDateTime, ct);
        return Content("Unsubscribed.\n", "text/plain; charset=utf-8");
    }
}
