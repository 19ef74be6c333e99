using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.Sources;
using PaperFeed.Topics;

namespace PaperFeed.Synthetic;

public sealed record SeedSummary(int Papers, long Listings, long Topics, long Snapshots, TimeSpan Elapsed)
{
    public double PapersPerSecond => Papers / Math.Max(Elapsed.TotalSeconds, 0.001);
}

/// <summary>
/// Fills an empty catalog with a <see cref="SyntheticCatalog"/>: papers are generated and tagged (by the site's own
/// tagger, so topic pages match what a retag would give) on one thread while the previous batch is written.
/// </summary>
public sealed class SyntheticSeeder(CatalogDbContext db, TopicTaggerCache taggerCache)
{
    public const int BatchSize = 5_000;

    /// <summary>The catalog's HF and arXiv feed sources; those missing are added, disabled, so listings have a source.</summary>
    public async Task<SyntheticSources> SourcesAsync(CancellationToken ct = default)
    {
        var sources = await db.Sources.ToListAsync(ct);
        var hf = sources.Where(s => s.Curated && s.Kind is SourceKind.HuggingFacePage or SourceKind.HuggingFaceApi).OrderBy(s => s.Id).FirstOrDefault();
        if (hf is null)
        {
            hf = new Source { Name = "Synthetic: Hugging Face Daily Papers", Kind = SourceKind.HuggingFacePage, Url = "synthetic:huggingface", Enabled = false, Curated = true };
            db.Sources.Add(hf);
        }
        var arxiv = new Dictionary<string, Source>();
        foreach (var category in SyntheticText.ListedCategories)
        {
            var source = sources.Where(s => s.Kind == SourceKind.ArxivRss && s.Url.EndsWith("/rss/" + category, StringComparison.Ordinal)).OrderBy(s => s.Id).FirstOrDefault();
            if (source is null)
            {
                source = new Source { Name = $"Synthetic: arXiv {category}", Kind = SourceKind.ArxivRss, Url = $"synthetic:arxiv/{category}", Enabled = false };
                db.Sources.Add(source);
            }
            arxiv[category] = source;
        }
        await db.SaveChangesAsync(ct);
        return new SyntheticSources(hf.Id, arxiv.ToDictionary(a => a.Key, a => a.Value.Id));
    }

    public async Task<SeedSummary> SeedAsync(SyntheticCatalog catalog, Action<int>? progress = null, CancellationToken ct = default)
    {
        var existing = await db.Papers.CountAsync(ct);
        if (existing > 0)
            throw new InvalidOperationException($"the catalog already holds {existing} papers; seed-synthetic fills an empty catalog (use a fresh database)");
        var sources = await SourcesAsync(ct);
        var tagger = await taggerCache.GetAsync(db, ct);
        var clock = Stopwatch.StartNew();

        // Generation and tagging (CPU) overlap with writing (mostly the database's work) through a short queue.
        var queue = Channel.CreateBounded<CatalogRows>(2);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var start = 0; start < catalog.Count; start += BatchSize)
                    await queue.Writer.WriteAsync(Generate(catalog, sources, tagger, start, Math.Min(BatchSize, catalog.Count - start)), ct);
                queue.Writer.Complete();
            }
            catch (Exception ex)
            {
                queue.Writer.Complete(ex);
            }
        }, ct);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        long written = 0, listings = 0, topics = 0, snapshots = 0;
        try
        {
            // PostgreSQL: one transaction, with the secondary indexes dropped during the load and built once at the
            // end (several times faster than keeping them up to date row by row). A failure rolls all of it back,
            // indexes included; SQLite commits batch by batch.
            await using var transaction = connection is NpgsqlConnection ? await connection.BeginTransactionAsync(ct) : null;
            var indexes = transaction is null ? [] : await DropIndexesAsync(connection, transaction, ct);
            await foreach (var rows in queue.Reader.ReadAllAsync(ct))
            {
                await CatalogBulkWriter.WriteAsync(connection, rows, transaction, ct);
                written += rows.Papers.Count;
                listings += rows.Papers.Sum(p => p.Listings.Count);
                topics += rows.Topics.Count;
                snapshots += rows.Snapshots.Count;
                progress?.Invoke((int)written);
            }
            await producer;
            if (transaction is not null)
            {
                foreach (var definition in indexes) await ExecuteAsync(connection, transaction, definition, ct);
                await CatalogBulkWriter.ResetPaperIdsAsync(connection, ct);
                await transaction.CommitAsync(ct);
            }
            await ExecuteAsync(connection, null, "ANALYZE", ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return new SeedSummary((int)written, listings, topics, snapshots, clock.Elapsed);
    }

    private static readonly string[] LoadedTables = ["Papers", "Listings", "PaperSources", "PaperTopics", "UpvoteSnapshots"];

    /// <summary>Drops the loaded tables' indexes other than primary keys; returns the statements that recreate them.</summary>
    private static async Task<List<string>> DropIndexesAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var query = connection.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype IN ('p', 'u'))
                """;
            query.Parameters.Add(new NpgsqlParameter("tables", LoadedTables));
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) definitions.Add((reader.GetString(0), reader.GetString(1)));
        }
        await ExecuteAsync(connection, transaction, "SET LOCAL maintenance_work_mem = '256MB'", ct);
        foreach (var (name, _) in definitions) await ExecuteAsync(connection, transaction, $"DROP INDEX \"{name}\"", ct);
        return [.. definitions.Select(d => d.Definition)];
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public static CatalogRows Generate(SyntheticCatalog catalog, SyntheticSources sources, TopicTagger tagger, int start, int count)
    {
        var papers = new List<Papers.Paper>(count);
        var topics = new List<(long, int)>(count * 3);
        var snapshots = new List<Papers.UpvoteSnapshot>();
        for (var i = start; i < start + count; i++)
        {
            var (paper, history) = catalog.Generate(i, sources);
            papers.Add(paper);
            snapshots.AddRange(history);
            foreach (var topicId in tagger.Tag(paper.Title, paper.Abstract, paper.AiKeywords, paper.Categories).Order())
                topics.Add((paper.Id, topicId));
        }
        return new CatalogRows(papers, topics, snapshots);
    }
}
