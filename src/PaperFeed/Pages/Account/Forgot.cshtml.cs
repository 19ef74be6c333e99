using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Email;

namespace PaperFeed.Pages.Account;

/// <summary>Password reset that answers the same for every address; only the owner of an account gets a link.</summary>
[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class ForgotModel(UserManager<User> users, AccountMail mail) : PageModel
{
    [BindProperty, Required, EmailAddress, PaperFeed.Email.PlainEmail] public string Email { get; set; } = "";
    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var email = Email.Trim();
        var user = await users.FindByEmailAsync(email);
        if (user is { EmailConfirmed: true })
        {
            var code = AccountTokens.Encode(await users.GeneratePasswordResetTokenAsync(user));
            await mail.ResetPasswordAsync(email, code, ct);
        }
        else
        {
            await mail.NoAccountToResetAsync(email, ct);
        }
        Sent = true;
        return Page();
    }
}
