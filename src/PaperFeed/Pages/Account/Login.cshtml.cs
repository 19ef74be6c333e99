using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Accounts;

namespace PaperFeed.Pages.Account;

[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class LoginModel(SignInManager<User> signIn, UserManager<User> users, IPasswordHasher<User> hasher, SignInThrottle throttle) : PageModel
{
    [BindProperty] public LoginInput Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class LoginInput
    {
        [Required, EmailAddress] public string Email { get; set; } = "";
        [Required, DataType(DataType.Password)] public string Password { get; set; } = "";
        [Display(Name = "Remember me")] public bool RememberMe { get; set; }
    }

    public void OnGet() { }

    /// <summary>Every refusal says this, whether the address is unknown, unconfirmed or the password wrong.</summary>
    public const string Refused = "That email and password do not match an account.";

    private static string? dummyHash;

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var email = Input.Email.Trim();
        var client = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.Wait(email, client) is { } wait)
        {
            // Per account and client: this client waits, the owner elsewhere does not (no lockout others can trigger).
            var minutes = (int)Math.Ceiling(wait.TotalMinutes);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.AddModelError("", $"Too many failed attempts from here: try again in {minutes} minute{(minutes == 1 ? "" : "s")}.");
            return Page();
        }
        var user = await users.FindByEmailAsync(email);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            throttle.Succeeded(email, client);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        // Identity answers an unknown, unconfirmed or locked account without hashing; hash anyway, so time tells nothing.
        // Only someone who knows the password learns that the address is unconfirmed.
        var passwordRight = user is null
            ? hasher.VerifyHashedPassword(new User(), dummyHash ??= hasher.HashPassword(new User(), Guid.NewGuid().ToString()), Input.Password) == PasswordVerificationResult.Success
            : !result.IsNotAllowed && !result.IsLockedOut ? false : await users.CheckPasswordAsync(user, Input.Password);
        if (result.IsNotAllowed && passwordRight)
        {
            ModelState.AddModelError("", "Confirm your address first: follow the link in the email we sent.");
            return Page();
        }
        throttle.Failed(email, client);
        ModelState.AddModelError("", Refused);
        return Page();
    }
}
