using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;

namespace PaperFeed.Pages.Account;

[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class ResetModel(UserManager<User> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty, Required, DataType(DataType.Password), StringLength(200, MinimumLength = 10)] public string Password { get; set; } = "";
    public bool Done { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var user = Email is null ? null : await users.FindByEmailAsync(Email);
        var token = AccountTokens.Decode(Code);
        var result = user is null || token is null ? null : await users.ResetPasswordAsync(user, token, Password);
        if (result is not { Succeeded: true })
        {
            foreach (var error in result?.Errors.Where(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ?? [])
                ModelState.AddModelError(nameof(Password), error.Description);
            if (ModelState.IsValid) ModelState.AddModelError("", "This reset link is not valid or has expired. Ask for a new one.");
            return Page();
        }
        Done = true;
        return Page();
    }
}
