using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.ForYou;

/// <summary>A signed-in reader opened a paper's page: one row per (reader, paper), first and last time.</summary>
public sealed class OpenedPaper
{
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public DateTime FirstOpenedAt { get; set; }
    public DateTime LastOpenedAt { get; set; }
}

/// <summary>Records and forgets opened papers.</summary>
public static class OpenedPapers
{
    /// <summary>A reopening within this time does not write again: a reader paging back and forth costs one write.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromHours(1);

    /// <summary>
    /// One statement, no read first: the (reader, paper) key makes concurrent first views one row (the loser updates, or
    /// does nothing), and a reopening within <see cref="Refresh"/> changes nothing.
    /// </summary>
    public static Task RecordAsync(CatalogDbContext db, string userId, long paperId, DateTime now, CancellationToken ct)
    {
        var before = now - Refresh;
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "OpenedPapers" ("UserId", "PaperId", "FirstOpenedAt", "LastOpenedAt") VALUES ({userId}, {paperId}, {now}, {now})
            ON CONFLICT ("UserId", "PaperId") DO UPDATE SET "LastOpenedAt" = excluded."LastOpenedAt" WHERE "OpenedPapers"."LastOpenedAt" < {before}
            """, ct);
    }

    /// <summary>Forgets one opened paper, or all of them when <paramref name="paperId"/> is null.</summary>
    public static Task<int> ForgetAsync(CatalogDbContext db, string userId, long? paperId, CancellationToken ct) =>
        db.OpenedPapers.Where(o => o.UserId == userId && (paperId == null || o.PaperId == paperId)).ExecuteDeleteAsync(ct);
}
