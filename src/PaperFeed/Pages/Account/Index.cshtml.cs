using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Papers;
using PaperFeed.Votes;

namespace PaperFeed.Pages.Account;

/// <summary>/account: my upvotes, saved papers and "not for me" marks, export, change of address (confirmed by the new one), deletion.</summary>
[Authorize]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(AccountsExtensions.AccountChangeLimit)]
public sealed class IndexModel(CatalogDbContext db, UserManager<User> users, SignInManager<User> signIn, AccountMail mail,
    AccountDeletion deletion, VoteState votes, PaperFeed.Digests.AccountSubscriptions digests, TimeProvider time) : PageModel
{
    public string Email { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public List<PaperCard> Voted { get; private set; } = [];
    public List<PaperCard> Saved { get; private set; } = [];
    public List<PaperCard> NotForMe { get; private set; } = [];
    public List<PaperCard> LessLike { get; private set; } = [];
    public List<PaperCard> Watched { get; private set; } = [];
    /// <summary>The papers whose page the reader opened, latest first (at most <see cref="OpenedShown"/>), and how many in all.</summary>
    public List<PaperCard> Opened { get; private set; } = [];
    public int OpenedCount { get; private set; }
    public const int OpenedShown = 100;
    /// <summary>News of the watched papers in the last <see cref="PaperFeed.Watches.WatchService.MaxAgeDays"/> days, by paper id.</summary>
    public Dictionary<long, PaperFeed.Watches.WatchedUpdate> WatchedNews { get; private set; } = [];
    public PaperFeed.Digests.AccountDigest? Digest { get; private set; }
    public string? Handle { get; private set; }
    public bool CommentEmails { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        await LoadAsync(user, ct);
        return Page();
    }

    /// <summary>The address changes only when the link sent to the new one is followed; the old one is told.</summary>
    public async Task<IActionResult> OnPostChangeEmailAsync(string? newEmail, CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        newEmail = newEmail?.Trim();
        if (string.IsNullOrEmpty(newEmail) || newEmail.Length > 254 || !new EmailAddressAttribute().IsValid(newEmail) || !PaperFeed.Email.PlainEmailAttribute.IsPlain(newEmail))
            ModelState.AddModelError("newEmail", "Enter a valid email address.");
        else if (string.Equals(newEmail, user.Email, StringComparison.OrdinalIgnoreCase))
            ModelState.AddModelError("newEmail", "That is already your address.");
        if (!ModelState.IsValid)
        {
            await LoadAsync(user, ct);
            return Page();
        }

        // Whether the new address already has an account is told only to that address, never on this page.
        if (await users.FindByEmailAsync(newEmail!) is not null)
        {
            await mail.AddressTakenAsync(newEmail!, ct);
        }
        else
        {
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateChangeEmailTokenAsync(user, newEmail!)));
            await mail.ConfirmNewAddressAsync(newEmail!, user.Id, code, ct);
        }
        await mail.AddressChangingAsync(user.Email!, newEmail!, ct);
        Message = $"We sent a confirmation link to {newEmail}. Your address changes when you follow it.";
        return RedirectToPage();
    }

    /// <summary>Deletes the account after the password is confirmed: votes are withdrawn from the counts first.</summary>
    public async Task<IActionResult> OnPostDeleteAsync(string? password, CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        // No account lockout (others could trigger it); guessing here is slowed by the account-changes rate limit.
        if (string.IsNullOrEmpty(password) || !(await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded)
        {
            ModelState.AddModelError("password", "That password is not right: your account was not deleted.");
            await LoadAsync(user, ct);
            return Page();
        }
        var result = await deletion.DeleteAsync(user, ct);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("password", "Your account could not be deleted: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            await LoadAsync(user, ct);
            return Page();
        }
        await signIn.SignOutAsync();
        return LocalRedirect("/");
    }

    public async Task<IActionResult> OnPostCommentEmailsAsync(bool commentEmails, CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        if (userId is null) return Challenge();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.CommentEmails, commentEmails), ct);
        Message = commentEmails ? "You will get an email when someone replies to you or mentions you." : "No more emails about replies and mentions.";
        return RedirectToPage();
    }

    /// <summary>Forgets one opened paper (paperId) or all of them.</summary>
    public async Task<IActionResult> OnPostForgetOpenedAsync(long? paperId, CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        if (userId is null) return Challenge();
        var forgotten = await PaperFeed.ForYou.OpenedPapers.ForgetAsync(db, userId, paperId, ct);
        Message = paperId is null ? $"Forgot {forgotten} opened papers." : "Forgot that you opened that paper.";
        return RedirectToPage(null, null, null, "opened-heading");
    }

    private async Task LoadAsync(User user, CancellationToken ct)
    {
        Handle = user.Handle;
        CommentEmails = user.CommentEmails;
        Email = user.Email ?? "";
        CreatedAt = user.CreatedAt;
        Voted = await db.Votes.AsNoTracking().Where(v => v.UserId == user.Id && !v.Paper.Hidden)
            .OrderByDescending(v => v.CreatedAt).Select(v => v.Paper).ToCards().ToListAsync(ct);
        Saved = await db.SavedPapers.AsNoTracking().Where(s => s.UserId == user.Id && !s.Paper.Hidden)
            .OrderByDescending(s => s.SavedAt).Select(s => s.Paper).ToCards().ToListAsync(ct);
        NotForMe = await db.NotForMe.AsNoTracking().Where(n => n.UserId == user.Id && !n.Paper.Hidden)
            .OrderByDescending(n => n.MarkedAt).Select(n => n.Paper).ToCards().ToListAsync(ct);
        LessLike = await db.ReaderRules.AsNoTracking().Where(r => r.UserId == user.Id && r.Kind == PaperFeed.ForYou.RuleKind.LessLike)
            .Join(db.Papers.Where(p => !p.Hidden), r => r.Value, p => p.Key, (r, p) => new { r.Id, Paper = p })
            .OrderByDescending(x => x.Id).Select(x => x.Paper).ToCards().ToListAsync(ct);
        Opened = await db.OpenedPapers.AsNoTracking().Where(o => o.UserId == user.Id && !o.Paper.Hidden)
            .OrderByDescending(o => o.LastOpenedAt).Take(OpenedShown).Select(o => o.Paper).ToCards().ToListAsync(ct);
        OpenedCount = Opened.Count < OpenedShown ? Opened.Count : await db.OpenedPapers.CountAsync(o => o.UserId == user.Id, ct);
        Watched = await db.PaperWatches.AsNoTracking().Where(w => w.UserId == user.Id && !w.Paper.Hidden)
            .OrderByDescending(w => w.CreatedAt).Select(w => w.Paper).ToCards().ToListAsync(ct);
        WatchedNews = (await PaperFeed.Watches.WatchService.RecentAsync(db, user.Id, time.GetUtcNow().UtcDateTime, ct)).ToDictionary(u => u.PaperId);
        await votes.LoadAsync(Voted.Concat(Saved).Concat(NotForMe).Concat(LessLike).Select(p => p.Id), ct);
        Digest = await digests.FindAsync(user, ct);
    }
}
