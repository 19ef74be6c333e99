using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Jobs;

namespace PaperFeed.Papers.Related;

/// <summary>
/// Stores each paper's nearest neighbours by text, so the paper page only reads rows. Each run streams the catalog's
/// titles and abstracts twice (document frequencies, then the inverted index; see <see cref="RelatedIndex"/> for the
/// memory it holds), then recomputes the papers that have no neighbours yet or changed recently, batch by batch.
/// </summary>
public sealed class RelatedPapersJob(CatalogDbContext db, TimeProvider time, IOptions<JobsOptions> options, ILogger<RelatedPapersJob> logger)
{
    private const int StreamBatchSize = 1000;
    private const int WriteBatchSize = 200;

    private sealed record PaperText(long Id, string Title, string? Abstract);

    // Two runs at once would build two indexes (memory) and race on the same rows.
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var changedSince = time.GetUtcNow().UtcDateTime.AddHours(-options.Value.RelatedPapersUpdatedWithinHours);
        var targets = Targets(changedSince);
        if (!await targets.AnyAsync(ct))
        {
            logger.LogInformation("Related papers: nothing to compute");
            return 0;
        }

        var index = new RelatedIndex();
        await foreach (var paper in StreamAsync(db.Papers.AsNoTracking().Where(p => !p.Hidden), newestFirst: false, ct))
            index.Count(TextVectorizer.TermCounts(paper.Title, paper.Abstract).Keys);
        // Newest first, so a frequent term's capped postings hold the papers people are reading now.
        await foreach (var paper in StreamAsync(db.Papers.AsNoTracking().Where(p => !p.Hidden), newestFirst: true, ct))
            index.Add(paper.Id, index.Vectorize(TextVectorizer.TermCounts(paper.Title, paper.Abstract)));
        var indexed = clock.Elapsed;

        int papers = 0, rows = 0;
        var batch = new List<(long Id, List<Neighbor> Neighbors)>(WriteBatchSize);
        await foreach (var paper in StreamAsync(targets, newestFirst: false, ct))
        {
            batch.Add((paper.Id, index.Neighbors(paper.Id, index.Vectorize(TextVectorizer.TermCounts(paper.Title, paper.Abstract)))));
            if (batch.Count < WriteBatchSize) continue;
            rows += await ReplaceAsync(batch, ct);
            papers += batch.Count;
            batch.Clear();
        }
        rows += await ReplaceAsync(batch, ct);
        papers += batch.Count;

        logger.LogInformation("Related papers: {Papers} papers recomputed ({Rows} neighbours) against {Indexed} indexed in {Seconds:F1}s (index {IndexSeconds:F1}s)",
            papers, rows, index.Indexed, clock.Elapsed.TotalSeconds, indexed.TotalSeconds);
        return papers;
    }

    /// <summary>Papers without neighbours, or whose record changed lately (a new abstract, a merged title).</summary>
    private IQueryable<Paper> Targets(DateTime changedSince) =>
        db.Papers.AsNoTracking().Where(p => !p.Hidden && (p.UpdatedAt >= changedSince || !db.PaperNeighbors.Any(n => n.PaperId == p.Id)));

    /// <summary>Keyset batches of (id, title, abstract): no tracking, no offset scans, one batch in memory at a time.</summary>
    private static async IAsyncEnumerable<PaperText> StreamAsync(IQueryable<Paper> papers, bool newestFirst,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long? after = null;
        while (true)
        {
            var query = papers;
            if (after is { } last) query = newestFirst ? query.Where(p => p.Id < last) : query.Where(p => p.Id > last);
            var page = await (newestFirst ? query.OrderByDescending(p => p.Id) : query.OrderBy(p => p.Id))
                .Take(StreamBatchSize).Select(p => new PaperText(p.Id, p.Title, p.Abstract)).ToListAsync(ct);
            foreach (var paper in page) yield return paper;
            if (page.Count < StreamBatchSize) yield break;
            after = page[^1].Id;
        }
    }

    /// <summary>Replaces the batch's neighbour rows in one transaction: a second run writes the same rows again.</summary>
    private async Task<int> ReplaceAsync(List<(long Id, List<Neighbor> Neighbors)> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        var ids = batch.Select(b => b.Id).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.PaperNeighbors.Where(n => ids.Contains(n.PaperId)).ExecuteDeleteAsync(ct);
        var rows = batch.SelectMany(b => b.Neighbors.Select((n, i) => new PaperNeighbor { PaperId = b.Id, NeighborId = n.PaperId, Rank = i + 1, Score = n.Score })).ToList();
        db.PaperNeighbors.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return rows.Count;
    }
}
