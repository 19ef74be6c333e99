using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Topics;

namespace PaperFeed.Papers;

/// <summary>What an administrator can do to papers: hide one from every list, merge two that are the same work.</summary>
public sealed class PaperAdmin(CatalogDbContext db, PaperTagging tagging, TimeProvider time, ILogger<PaperAdmin> logger)
{
    public async Task<bool> SetHiddenAsync(long paperId, bool hidden, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.Papers.Where(p => p.Id == paperId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Hidden, hidden).SetProperty(p => p.UpdatedAt, now), ct);
        logger.LogInformation("Paper {PaperId} hidden: {Hidden}", paperId, hidden);
        return changed == 1;
    }

    /// <summary>
    /// Folds <paramref name="duplicateId"/> into <paramref name="keepId"/>: its listings and sources move over,
    /// fields the kept paper lacks are filled from it, and the duplicate row is deleted. One transaction.
    /// </summary>
    public async Task<string?> MergeAsync(long duplicateId, long keepId, CancellationToken ct)
    {
        if (duplicateId == keepId) return "A paper cannot be merged into itself.";
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var keep = await db.Papers.Include(p => p.Listings).Include(p => p.Sources).SingleOrDefaultAsync(p => p.Id == keepId, ct);
        var duplicate = await db.Papers.Include(p => p.Listings).Include(p => p.Sources).SingleOrDefaultAsync(p => p.Id == duplicateId, ct);
        if (keep is null || duplicate is null) return "One of the two papers does not exist.";
        if (keep.ArxivId is not null && duplicate.ArxivId is not null)
            return $"Both papers have an arXiv id ({keep.ArxivId}, {duplicate.ArxivId}): they are different works.";

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var listing in duplicate.Listings.Where(l => !keep.Listings.Any(k => k.SourceId == l.SourceId && k.Day == l.Day)))
            keep.Listings.Add(new Listing { SourceId = listing.SourceId, Day = listing.Day, AnnounceType = listing.AnnounceType, FirstSeenAt = listing.FirstSeenAt });
        foreach (var seen in duplicate.Sources.Where(s => keep.Sources.All(k => k.SourceId != s.SourceId)))
            keep.Sources.Add(new PaperSource { SourceId = seen.SourceId, FirstSeenAt = seen.FirstSeenAt });

        var arxivId = duplicate.ArxivId;
        PaperMerge.Apply(keep, PaperMerge.ToRecord(duplicate) with { ArxivId = null });
        keep.Upvotes = Math.Max(keep.Upvotes, duplicate.Upvotes);
        keep.MergeHash = null; // changed outside ingest: the next ingest compares the whole row
        keep.UpdatedAt = now;
        db.Papers.Remove(duplicate);
        await db.SaveChangesAsync(ct);
        if (arxivId is not null)
        {
            // The arXiv id is unique: it moves only once the duplicate row is gone.
            keep.ArxivId = arxivId;
            keep.Key = arxivId;
            await db.SaveChangesAsync(ct);
        }
        // The kept paper may have gained an abstract, keywords or categories from the duplicate.
        await tagging.TagAsync([keepId], ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Merged paper {Duplicate} into {Keep}", duplicateId, keepId);
        return null;
    }
}
