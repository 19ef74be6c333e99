using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.ForYou;

/// <summary>A reader said "not for me" about a paper: a negative signal for their ranking, never a count anyone sees.</summary>
public sealed class NotForMe
{
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public DateTime MarkedAt { get; set; }
}

/// <summary>Marks or unmarks a paper as not for a reader; like a vote, each request says the state it wants, so a retry is harmless.</summary>
public sealed class NotForMeService(CatalogDbContext db, TimeProvider time)
{
    /// <returns>Whether the paper is marked now, or null when there is no such visible paper.</returns>
    public async Task<bool?> SetAsync(string userId, long paperId, bool mark, CancellationToken ct)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == paperId && !p.Hidden, ct)) return null;
        if (mark)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The (user, paper) key settles a double submit: the second insert does nothing.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "NotForMe" ("UserId", "PaperId", "MarkedAt") VALUES ({userId}, {paperId}, {now}) ON CONFLICT DO NOTHING""", ct);
        }
        else
        {
            await db.NotForMe.Where(n => n.UserId == userId && n.PaperId == paperId).ExecuteDeleteAsync(ct);
        }
        return mark;
    }
}
