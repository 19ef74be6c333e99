using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Comments;

/// <summary>What a comment form led to: the paper to go back to (null: no such paper or comment), the comment, or why nothing changed.</summary>
public sealed record CommentOutcome(string? PaperKey, long? CommentId = null, string? Problem = null)
{
    public static readonly CommentOutcome NotFound = new((string?)null);
}

/// <summary>
/// Every change to the discussion: post and reply, edit and delete one's own, upvote, report, and an administrator's
/// hide and restore. Each runs in one transaction with the paper's <see cref="Papers.Paper.CommentCount"/> recounted,
/// so a card's count is exactly what its page shows. Replies and mentions are emailed after the commit.
/// </summary>
public sealed class CommentService(CatalogDbContext db, TimeProvider time, CommentNotifications notifications)
{
    public async Task<CommentOutcome> PostAsync(string userId, long paperId, long? parentId, string? body, string? handle, CancellationToken ct)
    {
        var paper = await db.Papers.AsNoTracking().Where(p => p.Id == paperId && !p.Hidden).Select(p => new { p.Id, p.Key }).SingleOrDefaultAsync(ct);
        if (paper is null) return CommentOutcome.NotFound;
        if (CommentText.Problem(body) is { } problem) return new(paper.Key, Problem: problem);
        var text = body!.Trim();
        // A reply to a reply joins the same thread: one level of threading; its author is still the one told.
        Comment? repliedTo = null;
        if (parentId is { } pid)
        {
            repliedTo = await db.Comments.AsNoTracking().SingleOrDefaultAsync(c => c.Id == pid && c.PaperId == paperId, ct);
            if (repliedTo is null || !repliedTo.Visible) return new(paper.Key, Problem: "That comment is no longer there to reply to.");
        }
        var currentHandle = await db.Users.Where(u => u.Id == userId).Select(u => u.Handle).SingleAsync(ct);
        if (currentHandle is null)
        {
            if (CommentText.Handle(handle) is not { } wanted)
                return new(paper.Key, Problem: $"Choose a name to comment under: {CommentText.HandleMinLength}–{CommentText.HandleMaxLength} letters, digits, '_' or '-'.");
            if (await db.Users.AnyAsync(u => u.Handle == wanted, ct)) return new(paper.Key, Problem: $"The name \"{wanted}\" is taken; choose another.");
            await db.Users.Where(u => u.Id == userId && u.Handle == null).ExecuteUpdateAsync(s => s.SetProperty(u => u.Handle, wanted), ct);
            currentHandle = wanted;
        }

        var comment = new Comment
        {
            PaperId = paper.Id, UserId = userId, ParentId = repliedTo?.ParentId ?? repliedTo?.Id, Body = text, Html = CommentText.ToHtml(text),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await InTransactionAsync(paper.Id, async () =>
        {
            db.Comments.Add(comment);
            await db.SaveChangesAsync(ct);
            await Watches.WatchService.RecordCommentAsync(db, comment, ct);
        }, ct);
        db.ChangeTracker.Clear();
        await notifications.SendAsync(comment, currentHandle, repliedTo?.UserId, ct);
        return new(paper.Key, comment.Id);
    }

    public async Task<CommentOutcome> EditAsync(string userId, long commentId, string? body, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.UserId == userId && c.DeletedAt == null)
            .Select(c => new { c.Id, c.PaperId, c.Paper.Key }).SingleOrDefaultAsync(ct);
        if (comment is null) return CommentOutcome.NotFound;
        if (CommentText.Problem(body) is { } problem) return new(comment.Key, comment.Id, problem);
        var text = body!.Trim();
        var html = CommentText.ToHtml(text);
        var now = time.GetUtcNow().UtcDateTime;
        await db.Comments.Where(c => c.Id == commentId && c.UserId == userId && c.DeletedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Body, text).SetProperty(c => c.Html, html).SetProperty(c => c.EditedAt, now), ct);
        return new(comment.Key, comment.Id);
    }

    /// <summary>One's own comment: gone, or (when others replied) kept as a placeholder with no text and no author.</summary>
    public async Task<CommentOutcome> DeleteAsync(string userId, long commentId, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.UserId == userId && c.DeletedAt == null)
            .Select(c => new { c.Id, c.PaperId, c.Paper.Key }).SingleOrDefaultAsync(ct);
        if (comment is null) return CommentOutcome.NotFound;
        await InTransactionAsync(comment.PaperId, () => EraseAsync(db.Comments.Where(c => c.Id == commentId), ct), ct);
        return new(comment.Key);
    }

    /// <summary>
    /// Erases the comments: those with replies keep their place with no text, author or votes (the replies keep their
    /// thread); the others are deleted. Account deletion uses it too. The caller recounts inside its transaction.
    /// </summary>
    internal async Task EraseAsync(IQueryable<Comment> comments, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var withReplies = comments.Where(c => db.Comments.Any(r => r.ParentId == c.Id));
        await db.CommentVotes.Where(v => withReplies.Any(c => c.Id == v.CommentId)).ExecuteDeleteAsync(ct);
        await withReplies.ExecuteUpdateAsync(s => s.SetProperty(c => c.Body, "").SetProperty(c => c.Html, "").SetProperty(c => c.UserId, (string?)null)
            .SetProperty(c => c.DeletedAt, now).SetProperty(c => c.Score, 0), ct);
        await comments.Where(c => c.DeletedAt == null).ExecuteDeleteAsync(ct);
    }

    /// <summary>The wanted state, as for papers: an upvote is added once or withdrawn, and the score follows in the same transaction.</summary>
    public async Task<CommentOutcome> VoteAsync(string userId, long commentId, bool up, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.DeletedAt == null && !c.Hidden)
            .Select(c => new { c.Id, c.PaperId, c.UserId, c.Paper.Key }).SingleOrDefaultAsync(ct);
        if (comment is null) return CommentOutcome.NotFound;
        if (comment.UserId == userId) return new(comment.Key, comment.Id, "Your own comment cannot be upvoted by you.");
        var now = time.GetUtcNow().UtcDateTime;
        await InTransactionAsync(null, async () =>
        {
            var changed = up
                ? await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""INSERT INTO "CommentVotes" ("CommentId", "UserId", "CreatedAt") VALUES ({commentId}, {userId}, {now}) ON CONFLICT DO NOTHING""", ct)
                : await db.CommentVotes.Where(v => v.CommentId == commentId && v.UserId == userId).ExecuteDeleteAsync(ct);
            if (changed == 1)
                await db.Comments.Where(c => c.Id == commentId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Score, c => c.Score + (up ? 1 : -1)), ct);
        }, ct);
        return new(comment.Key, comment.Id);
    }

    /// <summary>A reader tells the administrators about a comment; a second report by the same reader changes nothing.</summary>
    public async Task<CommentOutcome> ReportAsync(string userId, long commentId, string? reason, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId && c.DeletedAt == null)
            .Select(c => new { c.Id, c.UserId, c.Paper.Key }).SingleOrDefaultAsync(ct);
        if (comment is null) return CommentOutcome.NotFound;
        if (comment.UserId == userId) return new(comment.Key, comment.Id, "You cannot report your own comment; edit or delete it instead.");
        var text = (reason ?? "").Trim();
        if (text.Length > CommentReport.MaxReason) text = text[..CommentReport.MaxReason];
        var now = time.GetUtcNow().UtcDateTime;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "CommentReports" ("CommentId", "UserId", "Reason", "CreatedAt") VALUES ({commentId}, {userId}, {text}, {now}) ON CONFLICT DO NOTHING""", ct);
        return new(comment.Key, comment.Id);
    }

    /// <summary>An administrator's hide or restore: the text stays, so restoring brings it back as it was.</summary>
    public async Task<CommentOutcome> SetHiddenAsync(long commentId, bool hidden, CancellationToken ct)
    {
        var comment = await db.Comments.AsNoTracking().Where(c => c.Id == commentId).Select(c => new { c.Id, c.PaperId, c.Paper.Key }).SingleOrDefaultAsync(ct);
        if (comment is null) return CommentOutcome.NotFound;
        await InTransactionAsync(comment.PaperId, () => db.Comments.Where(c => c.Id == commentId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Hidden, hidden), ct), ct);
        return new(comment.Key, comment.Id);
    }

    /// <summary>Recounts the visible comments of papers; inside the caller's transaction.</summary>
    internal Task RecountAsync(IReadOnlyCollection<long> paperIds, CancellationToken ct) =>
        db.Papers.Where(p => paperIds.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.CommentCount,
            p => db.Comments.Count(c => c.PaperId == p.Id && c.DeletedAt == null && !c.Hidden)), ct);

    /// <summary>
    /// Runs <paramref name="work"/> and recounts the paper in one transaction. On PostgreSQL the paper's row is locked
    /// first, so two comments posted at once are counted one after the other (each recount sees the other's row).
    /// </summary>
    private async Task InTransactionAsync(long? paperId, Func<Task> work, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (paperId is { } id && db.Database.IsNpgsql())
                await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Papers" WHERE "Id" = {id} FOR UPDATE""", ct);
            await work();
            if (paperId is { } counted) await RecountAsync([counted], ct);
            await transaction.CommitAsync(ct);
        });
    }
}
