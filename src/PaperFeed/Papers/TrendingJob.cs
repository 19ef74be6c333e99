using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Papers;

/// <summary>
/// Recomputes <see cref="Paper.TrendingScore"/> (formula in <see cref="Trending"/>) for papers listed in the last
/// two weeks, and sets it to 0 for every other paper, so sorting by trending is one indexed column.
/// </summary>
public sealed class TrendingJob(CatalogDbContext db, TimeProvider time, ILogger<TrendingJob> logger)
{
    private const int BatchSize = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var now = time.GetUtcNow().UtcDateTime;
        var (from, _) = Trending.Period(now);
        var windowStart = Trending.WindowStart(now);

        var cooled = await db.Papers.Where(p => p.TrendingScore != 0 && !p.Listings.Any(l => l.Day >= from))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.TrendingScore, 0.0), ct);

        int seen = 0, changed = 0;
        long after = 0;
        while (true)
        {
            var papers = await db.Papers.AsNoTracking()
                .Where(p => p.Id > after && p.Listings.Any(l => l.Day >= from))
                .OrderBy(p => p.Id).Take(BatchSize)
                .Select(p => new
                {
                    p.Id, p.Upvotes, p.TrendingScore,
                    FirstDay = p.Listings.Min(l => l.Day),
                    FirstSeenAt = p.Listings.Min(l => l.FirstSeenAt),
                })
                .ToListAsync(ct);
            if (papers.Count == 0) break;
            after = papers[^1].Id;
            seen += papers.Count;

            var ids = papers.Select(p => p.Id).ToList();
            var atStart = await db.UpvoteSnapshots.AsNoTracking().Where(s => ids.Contains(s.PaperId) && s.At <= windowStart)
                .GroupBy(s => s.PaperId)
                .Select(g => new { PaperId = g.Key, Upvotes = g.OrderByDescending(s => s.At).ThenByDescending(s => s.Id).Select(s => s.Upvotes).First() })
                .ToDictionaryAsync(x => x.PaperId, x => x.Upvotes, ct);
            var firstInWindow = await db.UpvoteSnapshots.AsNoTracking().Where(s => ids.Contains(s.PaperId) && s.At > windowStart)
                .GroupBy(s => s.PaperId)
                .Select(g => new { PaperId = g.Key, Upvotes = g.OrderBy(s => s.At).ThenBy(s => s.Id).Select(s => s.Upvotes).First() })
                .ToDictionaryAsync(x => x.PaperId, x => x.Upvotes, ct);

            // One UPDATE per paper whose score moved; papers without votes stay at 0 and cost nothing.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var paper in papers)
            {
                var listedAt = Trending.FirstListedAt(paper.FirstDay, paper.FirstSeenAt);
                var growth = Trending.Growth(paper.Upvotes, atStart.TryGetValue(paper.Id, out var a) ? a : null,
                    firstInWindow.TryGetValue(paper.Id, out var f) ? f : null, listedAt, now);
                var score = Trending.Score(growth, ownVotes: 0, listedAt, now);
                if (score == paper.TrendingScore) continue;
                await db.Papers.Where(p => p.Id == paper.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.TrendingScore, score), ct);
                changed++;
            }
            await transaction.CommitAsync(ct);
        }

        logger.LogInformation("Trending: {Seen} recent papers, {Changed} scores changed, {Cooled} older papers reset in {Seconds:F1}s",
            seen, changed, cooled, clock.Elapsed.TotalSeconds);
        return changed;
    }
}
