using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Email;

namespace PaperFeed.Pages.Digests;

/// <summary>
/// Subscribing needs only an address, confirmed by a link (double opt-in). The page says the same for every address,
/// new, pending, subscribed or gone: only the email that arrives differs.
/// </summary>
[EnableRateLimiting(AccountsExtensions.AuthLimit)]
public sealed class SubscribeModel(CatalogDbContext db, DigestLinks links, AccountMail mail, UserManager<User> users, TimeProvider time) : PageModel
{
    [BindProperty] public SubscribeInput Input { get; set; } = new();
    public bool Sent { get; private set; }
    /// <summary>For a signed-in reader: the subscription of their account's address, if any.</summary>
    public SubscriptionStatus? MyStatus { get; private set; }
    public string? MyPreferencesUrl { get; private set; }

    public sealed class SubscribeInput
    {
        [Required, EmailAddress, PaperFeed.Email.PlainEmail, StringLength(254)] public string Email { get; set; } = "";
    }

    /// <param name="email">From the footer box on every page: the address to fill in (the box itself has no token).</param>
    public async Task OnGetAsync(string? email, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(email) && email.Length <= 254) Input.Email = email.Trim();
        await LoadMineAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            await LoadMineAsync(ct);
            return Page();
        }
        var email = SubscriptionChanges.NormalizeEmail(Input.Email);
        var now = time.GetUtcNow().UtcDateTime;
        var user = await SignedInUserAsync();
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Email == email, ct);
        var alreadySubscribed = subscription?.Status is SubscriptionStatus.Active or SubscriptionStatus.Paused;
        if (subscription is null)
        {
            subscription = new Subscription { Email = email, CreatedAt = now };
            db.Subscriptions.Add(subscription);
        }
        else if (!alreadySubscribed)
        {
            // Unsubscribed or suspended: start over with a confirmation, keeping the preferences and what was already sent.
            subscription.Status = SubscriptionStatus.Pending;
        }
        // Only the reader who owns the address (their account's confirmed email) can attach it to their account.
        if (user is not null && string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase))
        {
            subscription.UserId = user.Id;
            // From now on the digest mutes what the account mutes: its own keywords join the account's rules.
            await PaperFeed.ForYou.MuteRules.AdoptAsync(db, subscription, user.Id, now, ct);
        }
        await db.SaveChangesAsync(ct);

        if (alreadySubscribed)
            await mail.AlreadySubscribedAsync(email, links.PreferencesUrl(subscription), ct);
        else
            await mail.ConfirmSubscriptionAsync(email, links.ConfirmUrl(subscription), ct);

        Sent = true;
        return Page();
    }

    private async Task<User?> SignedInUserAsync() =>
        User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(User) : null;

    private async Task LoadMineAsync(CancellationToken ct)
    {
        var user = await SignedInUserAsync();
        if (user?.Email is null) return;
        var email = SubscriptionChanges.NormalizeEmail(user.Email);
        if (string.IsNullOrEmpty(Input.Email)) Input.Email = user.Email;
        var mine = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == email, ct);
        if (mine is null) return;
        MyStatus = mine.Status;
        MyPreferencesUrl = links.PreferencesUrl(mine);
    }
}
