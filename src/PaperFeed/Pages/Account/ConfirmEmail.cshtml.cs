using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using PaperFeed.Accounts;

namespace PaperFeed.Pages.Account;

/// <summary>The link sent to a new address opens a page with a button (mail scanners follow links); the POST changes the address.</summary>
[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class ConfirmEmailModel(UserManager<User> users, IUserStore<User> store, SignInManager<User> signIn) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    public string? Result { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        string? token = null;
        try { token = Code is null ? null : Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code)); }
        catch (FormatException) { }
        if (user is null || token is null || string.IsNullOrEmpty(Email))
        {
            Result = "This link is not valid or has expired. Ask for a new one on your account page.";
            return Page();
        }
        // The user name is the address: set it in memory so ChangeEmailAsync saves both in its one update (or neither).
        await store.SetUserNameAsync(user, Email, ct);
        var changed = await users.ChangeEmailAsync(user, Email, token);
        if (!changed.Succeeded)
        {
            Result = "This link is not valid or has expired, or the address now belongs to another account. Ask for a new one on your account page.";
            return Page();
        }
        // The change renews the security stamp; keep this browser signed in if it is the same person.
        if (users.GetUserId(User) == user.Id) await signIn.RefreshSignInAsync(user);
        Result = $"Your address is now {Email}.";
        return Page();
    }
}
