using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Watches;

/// <summary>News about one watched paper: its lines, oldest first, and the changes they came from.</summary>
public sealed record WatchedUpdate(long PaperId, string Title, string PageUrl, IReadOnlyList<ChangeLine> Lines, IReadOnlyList<long> ChangeIds);

/// <summary>Watches and unwatches a paper; like a save, each request says the state it wants, so a retry is harmless.</summary>
public sealed class WatchService(CatalogDbContext db, TimeProvider time)
{
    /// <summary>News older than this is not sent when a digest finally comes (a subscription made long after watching).</summary>
    public const int MaxAgeDays = 30;

    /// <returns>Whether the paper is watched now, or null when there is no such visible paper.</returns>
    public async Task<bool?> SetAsync(string userId, long paperId, bool watch, CancellationToken ct)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == paperId && !p.Hidden, ct)) return null;
        if (watch)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The (user, paper) key settles a double submit; CheckedAt stays null, so the next enrichment run re-reads it.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "PaperWatches" ("UserId", "PaperId", "CreatedAt") VALUES ({userId}, {paperId}, {now}) ON CONFLICT DO NOTHING""", ct);
        }
        else
        {
            await db.PaperWatches.Where(w => w.UserId == userId && w.PaperId == paperId).ExecuteDeleteAsync(ct);
        }
        return watch;
    }

    /// <summary>A new comment is news for the paper's watchers; recorded only when someone watches it (in the comment's transaction).</summary>
    public static async Task RecordCommentAsync(CatalogDbContext db, Comments.Comment comment, CancellationToken ct)
    {
        if (!await db.PaperWatches.AnyAsync(w => w.PaperId == comment.PaperId && w.UserId != comment.UserId, ct)) return;
        db.PaperChanges.Add(new PaperChange { PaperId = comment.PaperId, Kind = PaperChangeKind.Comment, CommentId = comment.Id, At = comment.CreatedAt });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Each reader's news not reported yet (changes since they watched, within <see cref="MaxAgeDays"/>, not their own
    /// comments, not on hidden papers), grouped by paper: what their next digest's "Watched papers" section holds.
    /// </summary>
    public static async Task<Dictionary<string, List<WatchedUpdate>>> PendingAsync(CatalogDbContext db, IReadOnlyCollection<string> userIds,
        string baseUrl, DateTime now, CancellationToken ct)
    {
        if (userIds.Count == 0) return [];
        var since = now.AddDays(-MaxAgeDays);
        var rows = await News(db, db.PaperWatches.Where(w => userIds.Contains(w.UserId)), since, unreportedOnly: true).ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => Group(g, baseUrl));
    }

    /// <summary>One reader's news of the last <see cref="MaxAgeDays"/> days, reported or not, for /account.</summary>
    public static async Task<List<WatchedUpdate>> RecentAsync(CatalogDbContext db, string userId, DateTime now, CancellationToken ct)
    {
        var rows = await News(db, db.PaperWatches.Where(w => w.UserId == userId), now.AddDays(-MaxAgeDays), unreportedOnly: false).ToListAsync(ct);
        return Group(rows, "");
    }

    private sealed record NewsRow(string UserId, PaperChange Change, string Key, string Title, string? Commenter);

    private static IQueryable<NewsRow> News(CatalogDbContext db, IQueryable<PaperWatch> watches, DateTime since, bool unreportedOnly) =>
        from w in watches
        join c in db.PaperChanges on w.PaperId equals c.PaperId
        where c.At >= since && c.At >= w.CreatedAt && !c.Paper.Hidden
            && (!unreportedOnly || !db.WatchReports.Any(r => r.UserId == w.UserId && r.ChangeId == c.Id))
            && (c.CommentId == null || db.Comments.Any(m => m.Id == c.CommentId && m.DeletedAt == null && !m.Hidden && m.UserId != w.UserId))
        select new NewsRow(w.UserId, c, c.Paper.Key, c.Paper.Title,
            db.Comments.Where(m => m.Id == c.CommentId).Select(m => m.User!.Handle).FirstOrDefault());

    private static List<WatchedUpdate> Group(IEnumerable<NewsRow> rows, string baseUrl) =>
        [.. rows.GroupBy(r => r.Change.PaperId)
            .Select(g =>
            {
                var ordered = g.OrderBy(r => r.Change.At).ThenBy(r => r.Change.Id).ToList();
                var pageUrl = baseUrl.TrimEnd('/') + PaperLinks.PagePath(ordered[0].Key);
                return new WatchedUpdate(g.Key, ordered[^1].Title, pageUrl,
                    [.. ordered.Select(r => PaperChanges.Describe(r.Change, pageUrl, r.Commenter))], [.. ordered.Select(r => r.Change.Id)]);
            })
            .OrderByDescending(u => u.Lines[^1].At)];
}
