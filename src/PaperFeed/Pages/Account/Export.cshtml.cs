using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;

namespace PaperFeed.Pages.Account;

/// <summary>GET /account/export: everything PaperFeed keeps about the reader, as a JSON file.</summary>
[Authorize]
public sealed class ExportModel(CatalogDbContext db, UserManager<User> users) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public sealed record AccountExport(string Email, bool EmailConfirmed, DateTime CreatedAt, List<PaperEntry> Votes, List<PaperEntry> SavedPapers, List<PaperEntry> NotForMe,
        string? Handle, bool CommentEmails, List<CommentEntry> Comments, List<PaperEntry> WatchedPapers, List<RuleEntry> Rules, List<OpenedEntry> OpenedPapers);
    /// <summary>A paper page the reader opened: first and last time.</summary>
    public sealed record OpenedEntry(string? ArxivId, string Key, string Title, DateTime FirstOpenedAt, DateTime LastOpenedAt);
    /// <summary>A mute rule, follow or seed: its kind ("MuteKeyword", "FollowAuthor", "Seed", …) and text.</summary>
    public sealed record RuleEntry(string Kind, string Value, DateTime At);
    public sealed record PaperEntry(string? ArxivId, string Key, string Title, DateTime At);
    public sealed record CommentEntry(long Id, string? ArxivId, string PaperKey, long? ReplyTo, string Markdown, DateTime At, DateTime? EditedAt, bool HiddenByModerator);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await users.GetUserAsync(User);
        if (user is null) return Challenge();
        var votes = await db.Votes.AsNoTracking().Where(v => v.UserId == user.Id).OrderByDescending(v => v.CreatedAt)
            .Select(v => new PaperEntry(v.Paper.ArxivId, v.Paper.Key, v.Paper.Title, v.CreatedAt)).ToListAsync(ct);
        var saved = await db.SavedPapers.AsNoTracking().Where(s => s.UserId == user.Id).OrderByDescending(s => s.SavedAt)
            .Select(s => new PaperEntry(s.Paper.ArxivId, s.Paper.Key, s.Paper.Title, s.SavedAt)).ToListAsync(ct);
        var notForMe = await db.NotForMe.AsNoTracking().Where(n => n.UserId == user.Id).OrderByDescending(n => n.MarkedAt)
            .Select(n => new PaperEntry(n.Paper.ArxivId, n.Paper.Key, n.Paper.Title, n.MarkedAt)).ToListAsync(ct);
        var comments = await db.Comments.AsNoTracking().Where(c => c.UserId == user.Id).OrderByDescending(c => c.CreatedAt)
            .Select(c => new CommentEntry(c.Id, c.Paper.ArxivId, c.Paper.Key, c.ParentId, c.Body, c.CreatedAt, c.EditedAt, c.Hidden)).ToListAsync(ct);
        var watched = await db.PaperWatches.AsNoTracking().Where(w => w.UserId == user.Id).OrderByDescending(w => w.CreatedAt)
            .Select(w => new PaperEntry(w.Paper.ArxivId, w.Paper.Key, w.Paper.Title, w.CreatedAt)).ToListAsync(ct);
        var rules = (await db.ReaderRules.AsNoTracking().Where(r => r.UserId == user.Id).OrderBy(r => r.Id).Select(r => new { r.Kind, r.Value, r.CreatedAt }).ToListAsync(ct))
            .Select(r => new RuleEntry(r.Kind.ToString(), r.Value, r.CreatedAt)).ToList();
        var opened = await db.OpenedPapers.AsNoTracking().Where(o => o.UserId == user.Id).OrderByDescending(o => o.LastOpenedAt)
            .Select(o => new OpenedEntry(o.Paper.ArxivId, o.Paper.Key, o.Paper.Title, o.FirstOpenedAt, o.LastOpenedAt)).ToListAsync(ct);
        var export = new AccountExport(user.Email ?? "", user.EmailConfirmed, user.CreatedAt, votes, saved, notForMe, user.Handle, user.CommentEmails, comments, watched, rules, opened);
        return File(JsonSerializer.SerializeToUtf8Bytes(export, Json), "application/json", "paperfeed-account.json");
    }
}
