using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;
using PaperFeed.Email;

namespace PaperFeed.Pages.Account;

/// <summary>
/// Registration that never tells whether an address has an account: a new address gets a confirmation link,
/// an existing one an email saying someone tried; the page says the same in both cases.
/// </summary>
[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class RegisterModel(UserManager<User> users, AccountMail mail, TimeProvider time) : PageModel
{
    [BindProperty] public RegisterInput Input { get; set; } = new();
    public bool Sent { get; private set; }

    public sealed class RegisterInput
    {
        [Required, EmailAddress, PaperFeed.Email.PlainEmail, StringLength(254)] public string Email { get; set; } = "";
        [Required, DataType(DataType.Password), StringLength(200, MinimumLength = 10)] public string Password { get; set; } = "";
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        // The password rules are checked the same way for every address, so their errors reveal nothing.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, new User(), Input.Password);
            foreach (var error in check.Errors) ModelState.AddModelError("Input.Password", error.Description);
        }
        if (!ModelState.IsValid) return Page();

        var email = Input.Email.Trim();
        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            // The same work as creating an account (one password hash), so the answer's timing tells nothing either.
            _ = users.PasswordHasher.HashPassword(existing, Input.Password);
            await mail.AlreadyRegisteredAsync(email, ct);
        }
        else
        {
            var user = new User { UserName = email, Email = email, CreatedAt = time.GetUtcNow().UtcDateTime };
            var created = await users.CreateAsync(user, Input.Password);
            if (created.Succeeded)
            {
                var code = AccountTokens.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
                await mail.ConfirmAccountAsync(email, user.Id, code, ct);
            }
        }
        Sent = true;
        return Page();
    }
}
