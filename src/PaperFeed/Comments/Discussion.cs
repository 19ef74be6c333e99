using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Comments;

/// <summary>One comment as the paper page shows it to this viewer.</summary>
public sealed record CommentView(long Id, long? ParentId, string? Author, string Html, string Body, DateTime CreatedAt, DateTime? EditedAt,
    int Score, bool Deleted, bool Hidden, bool Mine, bool Voted, int Reports)
{
    public string Anchor => $"c-{Id}";
}

/// <summary>A top-level comment and its replies (oldest first).</summary>
public sealed record CommentThread(CommentView Comment, List<CommentView> Replies);

/// <summary>A paper's discussion for one viewer: threads in the chosen order, the visible count, what the viewer may do.</summary>
public sealed record Discussion(long PaperId, string Order, List<CommentThread> Threads, int Count, bool SignedIn, bool HasHandle, bool IsAdmin)
{
    public const string Best = "best";
    public const string Newest = "new";

    /// <summary>The comments shown on a page at most; a longer discussion shows its best or newest ones.</summary>
    public const int Shown = 500;

    public static string OrderFrom(string? order) => order == Newest ? Newest : Best;

    /// <summary>
    /// Loads the discussion. Others never see a hidden comment's text, and a deleted or hidden comment is left out unless
    /// visible replies need it as their thread; administrators see everything, hidden comments marked, with report counts.
    /// </summary>
    public static async Task<Discussion> LoadAsync(CatalogDbContext db, long paperId, string? viewerId, bool isAdmin, string order, CancellationToken ct)
    {
        var rows = await db.Comments.AsNoTracking().Where(c => c.PaperId == paperId)
            .OrderByDescending(c => c.CreatedAt).Take(Shown)
            .Select(c => new
            {
                c.Id, c.ParentId, c.UserId, Handle = c.User != null ? c.User.Handle : null, c.Html, c.Body, c.CreatedAt, c.EditedAt,
                Deleted = c.DeletedAt != null, c.Hidden, c.Score,
            }).ToListAsync(ct);
        var voted = viewerId is null ? [] : (await db.CommentVotes.AsNoTracking()
            .Where(v => v.UserId == viewerId && db.Comments.Any(c => c.Id == v.CommentId && c.PaperId == paperId)).Select(v => v.CommentId).ToListAsync(ct)).ToHashSet();
        var reports = !isAdmin ? [] : await db.CommentReports.AsNoTracking().Where(r => r.Comment.PaperId == paperId)
            .GroupBy(r => r.CommentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var hasHandle = viewerId is not null && await db.Users.AnyAsync(u => u.Id == viewerId && u.Handle != null, ct);

        var views = rows.Select(r =>
        {
            var readable = !r.Deleted && (!r.Hidden || isAdmin);
            return new CommentView(r.Id, r.ParentId, r.Deleted ? null : r.Handle, readable ? r.Html : "", readable && r.UserId == viewerId ? r.Body : "",
                r.CreatedAt, r.EditedAt, r.Score, r.Deleted, r.Hidden, viewerId is not null && r.UserId == viewerId && !r.Deleted, voted.Contains(r.Id),
                reports.GetValueOrDefault(r.Id));
        }).ToList();
        bool Shows(CommentView c) => isAdmin ? !c.Deleted : !c.Deleted && !c.Hidden;
        var replies = views.Where(v => v.ParentId is not null && Shows(v)).GroupBy(v => v.ParentId!.Value)
            .ToDictionary(g => g.Key, g => g.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id).ToList());
        var top = views.Where(v => v.ParentId is null && (Shows(v) || replies.ContainsKey(v.Id)));
        var ordered = order == Newest ? top.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id)
            : top.OrderByDescending(v => v.Deleted || v.Hidden ? -1 : v.Score).ThenByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id);
        var threads = ordered.Select(v => new CommentThread(v, replies.GetValueOrDefault(v.Id) ?? [])).ToList();
        var count = views.Count(v => !v.Deleted && !v.Hidden);
        return new Discussion(paperId, order, threads, count, viewerId is not null, hasHandle, isAdmin);
    }
}
