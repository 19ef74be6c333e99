using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Accounts;

namespace PaperFeed.Pages.Account;

/// <summary>The link in the email opens a page with a button: mail scanners that follow links confirm nothing.</summary>
public sealed class ConfirmModel(UserManager<User> users, AdminBootstrap admins) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? UserId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    public string? Result { get; private set; }
    public bool Confirmed { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = UserId is null ? null : await users.FindByIdAsync(UserId);
        var token = AccountTokens.Decode(Code);
        if (user is null || token is null || !(await users.ConfirmEmailAsync(user, token)).Succeeded)
        {
            Result = "This confirmation link is not valid or has expired. Register again to get a new one.";
            return Page();
        }
        await admins.EnsureAsync();
        Confirmed = true;
        Result = "Your address is confirmed. You can sign in now.";
        return Page();
    }
}
