using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Accounts;
using PaperFeed.Digests;

namespace PaperFeed.Pages.Account;

/// <summary>POST /account/digest: subscribe or unsubscribe the account's own address, then back to /account.</summary>
[Authorize]
public sealed class DigestModel(AccountSubscriptions subscriptions, UserManager<User> users) : PageModel
{
    [TempData] public string? Message { get; set; }

    public IActionResult OnGet() => RedirectToPage("/Account/Index");

    public async Task<IActionResult> OnPostSubscribeAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await subscriptions.SubscribeAsync(user, ct);
        Message = $"{user.Email} is subscribed to the digest. Choose what you receive with Preferences.";
        return RedirectToPage("/Account/Index");
    }

    public async Task<IActionResult> OnPostUnsubscribeAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await subscriptions.UnsubscribeAsync(user, ct);
        Message = $"{user.Email} is unsubscribed: no more digests.";
        return RedirectToPage("/Account/Index");
    }
}
