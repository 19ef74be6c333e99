using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Accounts;

/// <summary>
/// Deleting an account removes the person (votes, saved papers, "not for me" marks, opened papers, watched papers, chat channels, the user row) but keeps what the votes did to the
/// counts consistent: each voted paper loses one vote in the same transaction that deletes the vote rows.
/// Comments are erased, not anonymised with their text kept: the words are the reader's, and deleting the account
/// promises they go. A comment others replied to stays as a "deleted" placeholder (no text, no author) so the replies
/// keep their thread; the reader's upvotes on comments are withdrawn from their scores, the comment counts recounted.
/// </summary>
public sealed class AccountDeletion(CatalogDbContext db, UserManager<User> users, Comments.CommentService comments, ILogger<AccountDeletion> logger)
{
    public async Task<IdentityResult> DeleteAsync(User user, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var userId = user.Id;
            // PostgreSQL: a vote being inserted meanwhile needs a key-share lock on this row, so it waits and then fails
            // its foreign key instead of slipping in between the count update and the delete. (SQLite's first write
            // below already locks the whole database.)
            if (db.Database.IsNpgsql())
                await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "AspNetUsers" WHERE "Id" = {userId} FOR UPDATE""", ct);
            var papers = await db.Papers.Where(p => db.Votes.Any(v => v.UserId == userId && v.PaperId == p.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.VoteCount, p => p.VoteCount - 1), ct);
            await db.Votes.Where(v => v.UserId == userId).ExecuteDeleteAsync(ct);
            await db.SavedPapers.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
            await db.NotForMe.Where(n => n.UserId == userId).ExecuteDeleteAsync(ct);
            await db.OpenedPapers.Where(o => o.UserId == userId).ExecuteDeleteAsync(ct);
            // Mute rules, follows and seeds (the digest subscription outlives the account, without them).
            await db.ReaderRules.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
            // Watches and what the reader was told of them are account data: gone (the changes stay for other watchers).
            await db.WatchReports.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
            await db.PaperWatches.Where(w => w.UserId == userId).ExecuteDeleteAsync(ct);
            var commented = await db.Comments.Where(c => c.UserId == userId).Select(c => c.PaperId).Distinct().ToListAsync(ct);
            await db.Comments.Where(c => db.CommentVotes.Any(v => v.UserId == userId && v.CommentId == c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Score, c => c.Score - 1), ct);
            await db.CommentVotes.Where(v => v.UserId == userId).ExecuteDeleteAsync(ct);
            await comments.EraseAsync(db.Comments.Where(c => c.UserId == userId), ct);
            await comments.RecountAsync(commented, ct);
            // A reader's chat channels go with them (their posted-paper rows by the foreign key's cascade).
            await db.ChatChannels.Where(c => c.OwnerId == userId).ExecuteDeleteAsync(ct);
            // The user store shares this DbContext, so the user row goes in the same transaction.
            var deleted = await users.DeleteAsync(user);
            if (!deleted.Succeeded) return deleted; // disposing the transaction rolls the counts back
            await transaction.CommitAsync(ct);
            logger.LogInformation("Account {UserId} deleted: {Papers} votes withdrawn, comments erased on {Commented} papers", userId, papers, commented.Count);
            return deleted;
        });
        return result;
    }
}
