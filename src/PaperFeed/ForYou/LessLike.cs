using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.ForYou;

/// <summary>
/// "Less like this": fewer papers on this paper's subject for the reader. Unlike "not for me" it does not hide the paper; the
/// ranking subtracts the cosine to the paper's heaviest words (<see cref="ReaderSettings.LessLikeTerms"/>), so the paper and
/// those sharing its subject go down. Stored as a <see cref="ReaderRule"/> (kind <see cref="RuleKind.LessLike"/>, value the
/// paper's key): listed, exported and deleted with the reader's other rules.
/// </summary>
public sealed class LessLikeService(CatalogDbContext db, TimeProvider time)
{
    /// <returns>Whether the paper is marked now, or null when there is no such visible paper.</returns>
    public async Task<bool?> SetAsync(string userId, long paperId, bool mark, CancellationToken ct)
    {
        var key = await db.Papers.Where(p => p.Id == paperId && !p.Hidden).Select(p => p.Key).SingleOrDefaultAsync(ct);
        if (key is null) return null;
        if (mark)
        {
            var now = time.GetUtcNow().UtcDateTime;
            // The unique (user, kind, value) index settles a double submit: the second insert does nothing.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "ReaderRules" ("UserId", "Kind", "Value", "CreatedAt") VALUES ({userId}, {nameof(RuleKind.LessLike)}, {key}, {now}) ON CONFLICT DO NOTHING""", ct);
        }
        else
        {
            await db.ReaderRules.Where(r => r.UserId == userId && r.Kind == RuleKind.LessLike && r.Value == key).ExecuteDeleteAsync(ct);
        }
        return mark;
    }

    /// <summary>The ids of the reader's less-liked papers among <paramref name="ids"/>, as a query to compose.</summary>
    public static IQueryable<long> Among(CatalogDbContext db, string userId, List<long> ids) =>
        db.ReaderRules.AsNoTracking().Where(r => r.UserId == userId && r.Kind == RuleKind.LessLike)
            .Join(db.Papers.Where(p => ids.Contains(p.Id)), r => r.Value, p => p.Key, (r, p) => p.Id);
}
