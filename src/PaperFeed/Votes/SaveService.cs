using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Votes;

/// <summary>Saves or unsaves a paper for a reader; like a vote, each request says the state it wants, so a retry is harmless.</summary>
public sealed class SaveService(CatalogDbContext db, TimeProvider time)
{
    /// <returns>Whether the paper is saved now, or null when there is no such visible paper.</returns>
    public async Task<bool?> SetAsync(string userId, long paperId, bool save, CancellationToken ct)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == paperId && !p.Hidden, ct)) return null;
        if (save)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The (user, paper) key settles a double submit: the second insert does nothing.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "SavedPapers" ("UserId", "PaperId", "SavedAt") VALUES ({userId}, {paperId}, {now}) ON CONFLICT DO NOTHING""", ct);
        }
        else
        {
            await db.SavedPapers.Where(s => s.UserId == userId && s.PaperId == paperId).ExecuteDeleteAsync(ct);
        }
        return save;
    }
}
