using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.Site;
using PaperFeed.Sources;
using PaperFeed.Topics;

namespace PaperFeed.Papers;

public sealed record IngestResult(int Total, int New, int Updated, int Unchanged)
{
    public static readonly IngestResult None = new(0, 0, 0, 0);
    public IngestResult Add(IngestResult other) =>
        new(Total + other.Total, New + other.New, Updated + other.Updated, Unchanged + other.Unchanged);
}

/// <summary>
/// The one path from parsed records into the catalog, for jobs, the import command and tests alike.
/// An idempotent upsert: one paper per arXiv id (or per title until the id is known), one listing per source and day.
/// </summary>
public sealed class PaperIngestor(CatalogDbContext db, PaperTagging tagging, TimeProvider time, IOptions<AppOptions> site, ILogger<PaperIngestor> logger, PageCacheEviction? cacheEviction = null)
{
    /// <summary>
    /// The announce type of the listing a paper gets on the day it was added when its source gave no day (search
    /// results: a copied papers page, an arXiv API query): so every paper added on a day is under that day's "All new".
    /// </summary>
    public const string AddedAnnounceType = "added";

    // Large enough that the per-batch queries and the transaction are a small share of the work.
    internal const int BatchSize = 2_000;
    // Unchanged papers cost a narrow read each: fewer, larger round trips.
    private const int SettleSize = 10_000;

    public async Task<IngestResult> IngestAsync(int sourceId, IReadOnlyList<PaperRecord> records, CancellationToken ct = default)
    {
        var total = IngestResult.None;
        foreach (var slice in records.Chunk(SettleSize))
        {
            // Most records of a re-read are unchanged. A paper whose stored fingerprint equals that of a new paper made
            // from the record alone is already what the record makes of it: for those one narrow read per slice is enough,
            // and nothing is written (as long as this source already lists it on that day). The rest take the full path.
            var settled = await SettledAsync(sourceId, slice, time.GetUtcNow().UtcDateTime, ct);
            total = total.Add(new IngestResult(settled.Count, 0, 0, settled.Count));
            foreach (var batch in (settled.Count == 0 ? slice : slice.Where(r => !settled.Contains(r))).Chunk(BatchSize))
                total = total.Add(await IngestBatchWithRetryAsync(sourceId, batch, ct));
        }
        return total;
    }

    private async Task<IngestResult> IngestBatchWithRetryAsync(int sourceId, PaperRecord[] batch, CancellationToken ct)
    {
        // Another instance may insert the same paper between our read and our write: the unique index
        // refuses the duplicate, and a second pass sees the row and updates it instead.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestBatchAsync(sourceId, batch, ct);
            }
            catch (Exception ex) when (attempt < 3 && ex is DbUpdateException or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                or Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 /* SQLITE_CONSTRAINT: the bulk insert of new papers */ })
            {
                logger.LogWarning(ex, "Ingest batch conflicted with a concurrent write, retrying ({Attempt})", attempt);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IngestResult> IngestBatchAsync(int sourceId, PaperRecord[] batch, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var today = site.Value.Today(time);
        var ids = batch.Where(r => r.ArxivId is not null).Select(r => r.ArxivId!).Distinct().ToList();
        var dois = batch.Where(r => r.ArxivId is null && r.Doi is not null).Select(r => r.Doi!).Distinct().ToList();
        var keys = batch.Where(r => r.ArxivId is null).Select(KeyFor).Where(k => !k.StartsWith("title:", StringComparison.Ordinal)).Distinct().ToList();
        var titleKeys = batch.Select(r => TextNormalizer.TitleKey(r.Title)).Distinct().ToList();

        // Read without tracking (most papers of a re-read are unchanged); a paper is attached only when it changes,
        // so EF writes just the columns that changed. One instance per row across the lookups.
        var loaded = new Dictionary<long, Paper>();
        Paper One(Paper p) => loaded.TryAdd(p.Id, p) ? p : loaded[p.Id];
        var papers = db.Papers.AsNoTracking();
        var byId = (await papers.Where(p => p.ArxivId != null && ids.Contains(p.ArxivId)).ToListAsync(ct)).Select(One).ToDictionary(p => p.ArxivId!);
        var byDoi = dois.Count == 0 ? [] : (await papers.Where(p => p.Doi != null && dois.Contains(p.Doi)).ToListAsync(ct)).Select(One)
            .GroupBy(p => p.Doi!).ToDictionary(g => g.Key, g => g.First());
        var byKey = keys.Count == 0 ? [] : (await papers.Where(p => keys.Contains(p.Key)).ToListAsync(ct)).Select(One).ToDictionary(p => p.Key);
        // Papers stored without an id are matched by title, so a later record with the real id merges into them.
        var byTitle = (await papers.Where(p => p.ArxivId == null && titleKeys.Contains(p.NormalizedTitle)).ToListAsync(ct)).Select(One)
            .GroupBy(p => p.NormalizedTitle).ToDictionary(g => g.Key, g => g.First());
        void Track(Paper p)
        {
            if (p.Id != 0 && db.Entry(p).State == EntityState.Detached) db.Papers.Attach(p);
        }

        var paperIds = byId.Values.Concat(byDoi.Values).Concat(byKey.Values).Concat(byTitle.Values).Select(p => p.Id).Distinct().ToList();
        var listed = await ListedAsync(sourceId, batch, paperIds, ct);
        var seenBy = await SeenByAsync(sourceId, paperIds, ct);

        int created = 0, updated = 0, unchanged = 0;
        // New papers: written by binary COPY on PostgreSQL (ids drawn from the sequence first), by EF on SQLite.
        var fresh = new List<Paper>();
        // Papers whose topics may have changed: tagged once the batch is saved and they have ids.
        var touched = new List<Paper>();
        // Upvote counts that changed at this poll: the history trending is computed from.
        var snapshots = new List<(Paper Paper, int Upvotes)>();
        // What changed that a watcher wants to hear of (new version, venue, code); kept only for watched papers.
        var changes = new List<Watches.PaperChange>();
        // Stored papers whose title or abstract changed: their embeddings are stale.
        var restated = new List<long>();
        foreach (var record in batch)
        {
            var titleKey = TextNormalizer.TitleKey(record.Title);
            var key = KeyFor(record);
            Paper? paper = null;
            if (record.ArxivId is not null) byId.TryGetValue(record.ArxivId, out paper);
            if (paper is null && record.ArxivId is null && record.Doi is not null) byDoi.TryGetValue(record.Doi, out paper);
            if (paper is null && record.ArxivId is null) byKey.TryGetValue(key, out paper);
            if (paper is null && byTitle.TryGetValue(titleKey, out var titleMatch) && (record.ArxivId is null || titleMatch.ArxivId is null))
                paper = titleMatch;

            if (paper is null)
            {
                paper = PaperMerge.FromRecord(record, key, now);
                paper.Listings.Add(record.ListDay is { } day
                    ? new Listing { SourceId = sourceId, Day = day, AnnounceType = record.AnnounceType, FirstSeenAt = now }
                    : new Listing { SourceId = sourceId, Day = today, AnnounceType = AddedAnnounceType, FirstSeenAt = now });
                paper.Sources.Add(new PaperSource { SourceId = sourceId, FirstSeenAt = now });
                fresh.Add(paper);
                if (record.Upvotes is > 0) snapshots.Add((paper, record.Upvotes.Value));
                if (paper.ArxivId is not null) byId[paper.ArxivId] = paper;
                else
                {
                    byKey[paper.Key] = paper;
                    byTitle[titleKey] = paper;
                    if (paper.Doi is not null) byDoi[paper.Doi] = paper;
                }
                created++;
                touched.Add(paper);
                continue;
            }

            var upvotesBefore = paper.Upvotes;
            var changed = PaperMerge.WouldChange(paper, record);
            if (changed)
            {
                Track(paper);
                var before = PaperMerge.Snapshot(paper);
                PaperMerge.Apply(paper, record);
                if (paper.Id != 0 && Watches.PaperChanges.Detect(before, paper, now) is { Count: > 0 } news) changes.AddRange(news);
                // Its vector was made from the old text: dropped, so the embed-papers job makes it again.
                if (paper.Id != 0 && (before.Title != paper.Title || before.Abstract != paper.Abstract)) restated.Add(paper.Id);
            }
            if (paper.Upvotes != upvotesBefore) snapshots.Add((paper, paper.Upvotes));
            if (paper.ArxivId is not null && paper.Key != paper.ArxivId)
            {
                // The real id arrived for a paper first stored by title, DOI or link.
                Track(paper);
                paper.Key = paper.ArxivId;
                byTitle.Remove(paper.NormalizedTitle);
                byId[paper.ArxivId] = paper;
                changed = true;
            }
            if (record.ListDay is { } listDay && (paper.Id == 0 ? paper.Listings.All(l => l.Day != listDay) : listed.Add((paper.Id, listDay))))
            {
                var listing = new Listing { PaperId = paper.Id, SourceId = sourceId, Day = listDay, AnnounceType = record.AnnounceType, FirstSeenAt = now };
                if (paper.Id == 0)
                {
                    // A paper new in this batch that a later record lists on a real day is not "added" on the side.
                    paper.Listings.RemoveAll(l => l.AnnounceType == AddedAnnounceType);
                    paper.Listings.Add(listing);
                }
                else db.Listings.Add(listing);
                changed = true;
            }
            if (paper.Id != 0 && seenBy.Add(paper.Id))
                db.PaperSources.Add(new PaperSource { PaperId = paper.Id, SourceId = sourceId, FirstSeenAt = now });

            if (paper.Id == 0) continue; // a duplicate inside this batch: already counted as new
            if (changed)
            {
                Track(paper);
                paper.UpdatedAt = now;
                updated++;
                touched.Add(paper);
            }
            else unchanged++;
        }

        if (fresh.Count == 0 && touched.Count == 0 && snapshots.Count == 0 && !db.ChangeTracker.HasChanges())
            return new IngestResult(batch.Length, 0, 0, unchanged);
        // What a later ingest compares with; computed last, after every record of the batch was merged.
        foreach (var paper in touched) paper.MergeHash = PaperMerge.Fingerprint(paper);

        if (changes.Count > 0)
        {
            var changedIds = changes.Select(c => c.PaperId).Distinct().ToList();
            var watched = (await db.PaperWatches.Where(w => changedIds.Contains(w.PaperId)).Select(w => w.PaperId).Distinct().ToListAsync(ct)).ToHashSet();
            changes.RemoveAll(c => !watched.Contains(c.PaperId));
        }

        // One transaction for all. New papers get their ids first; their snapshots and topics need them.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.PaperChanges.AddRange(changes);
            if (restated.Count > 0) await db.PaperEmbeddings.Where(e => restated.Contains(e.PaperId)).ExecuteDeleteAsync(ct);
            var copied = fresh.Count > 0 ? await WriteNewPapersAsync(fresh, snapshots, now, ct) : [];
            if (copied.Count == 0) db.Papers.AddRange(fresh);
            await db.SaveChangesAsync(ct);
            var pending = snapshots.Where(s => !copied.Contains(s.Paper)).ToList();
            if (pending.Count > 0)
            {
                db.UpvoteSnapshots.AddRange(pending.Select(s => new UpvoteSnapshot { PaperId = s.Paper.Id, At = now, Upvotes = s.Upvotes }));
                await db.SaveChangesAsync(ct);
            }
            // In the same transaction, so no list ever shows a new or changed paper with stale topics.
            await tagging.TagAsync(touched.Where(p => !copied.Contains(p)).Select(p => p.Id).ToList(), ct);
            await transaction.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        return new IngestResult(batch.Length, created, updated, unchanged);
    }

    /// <summary>
    /// The records that would change nothing, known from (id, fingerprint) alone: an arXiv id seen once in the batch,
    /// a stored fingerprint equal to the record's, and the listing and source rows this record would add already there.
    /// </summary>
    private async Task<HashSet<PaperRecord>> SettledAsync(int sourceId, PaperRecord[] batch, DateTime now, CancellationToken ct)
    {
        var once = batch.Where(r => r.ArxivId is not null).GroupBy(r => r.ArxivId!).Where(g => g.Count() == 1).Select(g => g.Key).ToList();
        if (once.Count == 0) return [];
        // One round trip: the fingerprint and whether this source has seen the paper.
        var stored = await db.Papers.AsNoTracking().Where(p => p.ArxivId != null && once.Contains(p.ArxivId) && p.MergeHash != null)
            .Select(p => new { p.Id, p.ArxivId, p.MergeHash, Seen = db.PaperSources.Any(ps => ps.PaperId == p.Id && ps.SourceId == sourceId) })
            .ToDictionaryAsync(p => p.ArxivId!, p => (p.Id, Hash: p.MergeHash!.Value, p.Seen), ct);
        if (stored.Count == 0) return [];
        var candidates = batch.AsParallel()
            .Where(r => r.ArxivId is { } id && stored.TryGetValue(id, out var s) && s.Seen
                && s.Hash == PaperMerge.Fingerprint(PaperMerge.FromRecord(r, id, now)))
            .ToList();
        if (candidates.Count == 0) return [];
        var listed = await ListedAsync(sourceId, candidates, candidates.Select(r => stored[r.ArxivId!].Id).ToList(), ct);
        return candidates.Where(r => r.ListDay is not { } day || listed.Contains((stored[r.ArxivId!].Id, day)))
            .ToHashSet<PaperRecord>(ReferenceEqualityComparer.Instance);
    }

    private async Task<HashSet<(long PaperId, DateOnly Day)>> ListedAsync(int sourceId, IEnumerable<PaperRecord> records, List<long> paperIds, CancellationToken ct)
    {
        var days = records.Where(r => r.ListDay is not null).Select(r => r.ListDay!.Value).Distinct().ToList();
        if (days.Count == 0 || paperIds.Count == 0) return [];
        return (await db.Listings
                .Where(l => l.SourceId == sourceId && days.Contains(l.Day) && paperIds.Contains(l.PaperId))
                .Select(l => new { l.PaperId, l.Day }).ToListAsync(ct))
            .Select(l => (l.PaperId, l.Day)).ToHashSet();
    }

    private async Task<HashSet<long>> SeenByAsync(int sourceId, List<long> paperIds, CancellationToken ct) =>
        paperIds.Count == 0 ? [] : (await db.PaperSources.Where(ps => ps.SourceId == sourceId && paperIds.Contains(ps.PaperId))
            .Select(ps => ps.PaperId).ToListAsync(ct)).ToHashSet();

    /// <summary>
    /// Writes new papers (with their listings, sources, topics and first upvote snapshot) inside the batch's transaction,
    /// past EF: binary COPY on PostgreSQL, prepared inserts on SQLite (EF's row-by-row change tracking took 3.7 s of a
    /// 2,000-paper batch there). Ids come from the table's own sequence, so EF-written rows and these never collide.
    /// </summary>
    private async Task<HashSet<Paper>> WriteNewPapersAsync(List<Paper> fresh, List<(Paper Paper, int Upvotes)> snapshots, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var ids = await NewIdsAsync(connection, db.Database.CurrentTransaction!.GetDbTransaction(), fresh.Count, ct);
        for (var i = 0; i < fresh.Count; i++)
        {
            var paper = fresh[i];
            paper.Id = ids[i];
            foreach (var listing in paper.Listings) listing.PaperId = paper.Id;
            foreach (var source in paper.Sources) source.PaperId = paper.Id;
        }
        var copied = fresh.ToHashSet();
        // Bulk writes bypass the command interceptor that evicts cached pages; tell it directly.
        cacheEviction?.WroteInside(db.Database.CurrentTransaction!.GetDbTransaction());
        var history = snapshots.Where(s => copied.Contains(s.Paper)).Select(s => new UpvoteSnapshot { PaperId = s.Paper.Id, At = now, Upvotes = s.Upvotes }).ToList();
        // Tagging (the CPU) runs while PostgreSQL takes the papers (the database's work: search vectors, indexes).
        var tagger = await tagging.TaggerAsync(ct);
        var topics = Task.Run(() => PaperTagging.TopicsOf(tagger, fresh), ct);
        var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        try
        {
            await CatalogBulkWriter.WriteAsync(connection, new CatalogRows(fresh, [], history), transaction, ct);
        }
        finally
        {
            await ((Task)topics).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // never leave it running on a failed batch
        }
        await CatalogBulkWriter.WriteAsync(connection, new CatalogRows([], await topics, []), transaction, ct);
        return copied;
    }

    /// <summary>
    /// Ids for new papers. PostgreSQL draws them from the sequence; SQLite follows AUTOINCREMENT's rule (above every id
    /// ever used) inside the batch's transaction, which Microsoft.Data.Sqlite begins IMMEDIATE: no other writer between.
    /// </summary>
    private static async Task<List<long>> NewIdsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, int count, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        if (connection is NpgsqlConnection)
        {
            command.CommandText = """SELECT nextval(pg_get_serial_sequence('"Papers"', 'Id')) FROM generate_series(1, @count)""";
            command.Parameters.Add(new NpgsqlParameter<int>("count", count));
            var ids = new List<long>(count);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
            return ids;
        }
        command.CommandText = """SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'Papers'), 0), coalesce((SELECT max("Id") FROM "Papers"), 0))""";
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(1, count).Select(i => last + i)];
    }

    /// <summary>The stable key of a record: its arXiv id, else its DOI, else its link, else a hash of its normalised title.</summary>
    public static string KeyFor(PaperRecord record)
    {
        if (record.ArxivId is not null) return record.ArxivId;
        if (record.Doi is not null) return Bounded("doi:" + record.Doi.ToLowerInvariant());
        if (record.Link is not null && Uri.TryCreate(record.Link, UriKind.Absolute, out var link))
            return Bounded("url:" + link.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped).TrimEnd('/').ToLowerInvariant());
        return KeyFor(null, TextNormalizer.TitleKey(record.Title));
    }

    private static string Bounded(string key) =>
        key.Length <= 200 ? key : key[..4] + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];

    /// <summary>The stable key of a paper: its arXiv id, else a hash of its normalised title.</summary>
    public static string KeyFor(string? arxivId, string titleKey) =>
        arxivId ?? "title:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(titleKey)))[..32];
}
