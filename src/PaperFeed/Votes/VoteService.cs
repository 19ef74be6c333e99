using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Votes;

/// <summary>
/// Sets a reader's vote on a paper. Each request says the state it wants (up or not), so a double submit or a
/// retry is harmless; the vote row and the paper's count change in one transaction, so the count stays exact.
/// </summary>
public sealed class VoteService(CatalogDbContext db, TimeProvider time)
{
    public sealed record Outcome(bool Voted, int Count);

    public async Task<Outcome?> SetAsync(string userId, long paperId, bool up, CancellationToken ct)
    {
        if (!await db.Papers.AnyAsync(p => p.Id == paperId && !p.Hidden, ct)) return null;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            int changed;
            if (up)
            {
                // Insert only when absent; the (user, paper) key settles a race between two requests of one user.
                changed = await InsertIfAbsentAsync(userId, paperId, ct);
                if (changed == 1) await db.Papers.Where(p => p.Id == paperId).ExecuteUpdateAsync(s => s.SetProperty(p => p.VoteCount, p => p.VoteCount + 1), ct);
            }
            else
            {
                changed = await db.Votes.Where(v => v.UserId == userId && v.PaperId == paperId).ExecuteDeleteAsync(ct);
                if (changed == 1) await db.Papers.Where(p => p.Id == paperId).ExecuteUpdateAsync(s => s.SetProperty(p => p.VoteCount, p => p.VoteCount - 1), ct);
            }
            await transaction.CommitAsync(ct);
        });
        var count = await db.Papers.Where(p => p.Id == paperId).Select(p => p.VoteCount).SingleAsync(ct);
        var voted = await db.Votes.AnyAsync(v => v.UserId == userId && v.PaperId == paperId, ct);
        return new Outcome(voted, count);
    }

    /// <summary>INSERT … ON CONFLICT DO NOTHING on both providers: 1 when this call added the vote, 0 when it was there.</summary>
    private Task<int> InsertIfAbsentAsync(string userId, long paperId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "Votes" ("UserId", "PaperId", "CreatedAt") VALUES ({userId}, {paperId}, {now}) ON CONFLICT DO NOTHING""", ct);
    }
}

/// <summary>Which of the papers on a page the signed-in reader has voted for: one query per list, never one per card.</summary>
public sealed class VoteState(CatalogDbContext db, IHttpContextAccessor http, UserManager<Accounts.User> users)
{
    private readonly HashSet<long> _loaded = [];
    private readonly HashSet<long> _voted = [];
    private readonly HashSet<long> _saved = [];
    private readonly HashSet<long> _notForMe = [];
    private readonly HashSet<long> _lessLike = [];

    public bool SignedIn => http.HttpContext?.User.Identity?.IsAuthenticated == true;
    public bool HasVoted(long paperId) => _voted.Contains(paperId);
    public bool HasSaved(long paperId) => _saved.Contains(paperId);
    public bool IsNotForMe(long paperId) => _notForMe.Contains(paperId);
    public bool IsLessLike(long paperId) => _lessLike.Contains(paperId);

    public async Task LoadAsync(IEnumerable<long> paperIds, CancellationToken ct = default)
    {
        var principal = http.HttpContext?.User;
        if (principal?.Identity?.IsAuthenticated != true || users.GetUserId(principal) is not { } userId) return;
        // Papers already asked about (voted or not) are not asked again when a page loads several lists.
        var ids = paperIds.Where(_loaded.Add).ToList();
        if (ids.Count == 0) return;
        // The four marks in one round trip (UNION ALL), each row tagged with its kind.
        var marks = await db.Votes.AsNoTracking().Where(v => v.UserId == userId && ids.Contains(v.PaperId)).Select(v => new { v.PaperId, Kind = 0 })
            .Concat(db.SavedPapers.AsNoTracking().Where(v => v.UserId == userId && ids.Contains(v.PaperId)).Select(v => new { v.PaperId, Kind = 1 }))
            .Concat(db.NotForMe.AsNoTracking().Where(n => n.UserId == userId && ids.Contains(n.PaperId)).Select(n => new { n.PaperId, Kind = 2 }))
            .Concat(PaperFeed.ForYou.LessLikeService.Among(db, userId, ids).Select(id => new { PaperId = id, Kind = 3 }))
            .ToListAsync(ct);
        foreach (var mark in marks)
            (mark.Kind switch { 0 => _voted, 1 => _saved, 2 => _notForMe, _ => _lessLike }).Add(mark.PaperId);
    }
}
