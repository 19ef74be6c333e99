using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Embeddings;

/// <summary>
/// Embeds papers that have no vector of the current model, in batches by id, each batch committed: a killed run
/// loses at most one batch and the next run starts where it stopped. The one code path of the job and `embed-papers`.
/// </summary>
public sealed class PaperEmbedder(CatalogDbContext db, TextEmbedder embedder, IOptions<EmbeddingsOptions> options, TimeProvider time)
{
    /// <summary>Papers without a vector of the current model.</summary>
    public Task<int> MissingAsync(CancellationToken ct) => Missing(db, embedder.Model).CountAsync(ct);

    private static IQueryable<Papers.Paper> Missing(CatalogDbContext db, string model) =>
        db.Papers.Where(p => !db.PaperEmbeddings.Any(e => e.PaperId == p.Id && e.Model == model));

    /// <summary>Embeds every paper without a vector (at most <paramref name="limit"/>); returns how many were embedded.</summary>
    public async Task<int> EmbedMissingAsync(int? limit, Action<int>? progress, CancellationToken ct)
    {
        var model = embedder.Model;
        var done = 0;
        var after = long.MinValue;
        while (limit is null || done < limit)
        {
            var take = Math.Min(options.Value.BatchSize, (limit ?? int.MaxValue) - done);
            var batch = await Missing(db, model).AsNoTracking().Where(p => p.Id > after).OrderBy(p => p.Id).Take(take)
                .Select(p => new { p.Id, p.Title, p.Abstract }).ToListAsync(ct);
            if (batch.Count == 0) break;
            after = batch[^1].Id;
            var vectors = embedder.Embed([.. batch.Select(p => embedder.PaperText(p.Title, p.Abstract))], ct);
            var ids = batch.Select(p => p.Id).ToList();
            var now = time.GetUtcNow().UtcDateTime;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                // A vector of another model is replaced.
                await db.PaperEmbeddings.Where(e => ids.Contains(e.PaperId)).ExecuteDeleteAsync(ct);
                db.PaperEmbeddings.AddRange(batch.Select((p, i) => new PaperEmbedding
                    { PaperId = p.Id, Model = model, Vector = PaperEmbedding.ToBlob(vectors[i]), EmbeddedAt = now }));
                try
                {
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                    done += batch.Count;
                }
                catch (DbUpdateException)
                {
                    // Another run (the job beside `embed-papers`) stored this batch first, or a paper was deleted meanwhile.
                    await transaction.RollbackAsync(ct);
                }
                finally
                {
                    db.ChangeTracker.Clear();
                }
            }
            progress?.Invoke(done);
        }
        return done;
    }
}

/// <summary>Embeds papers that arrived since the last run (new papers within minutes of ingest; ingest never waits for it).</summary>
[DisableConcurrentExecution(timeoutInSeconds: 60)]
public sealed class EmbedPapersJob(PaperEmbedder embedder, IOptions<EmbeddingsOptions> options, ILogger<EmbedPapersJob> log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        if (!options.Value.Enabled) return;
        var clock = Stopwatch.StartNew();
        var count = await embedder.EmbedMissingAsync(null, null, ct);
        if (count > 0) log.LogInformation("Embedded {Count} papers in {Seconds:0.0} s", count, clock.Elapsed.TotalSeconds);
    }
}

public static class EmbeddingsExtensions
{
    public static void AddEmbeddings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddingsOptions>().BindConfiguration(EmbeddingsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TextEmbedder>();
        builder.Services.AddSingleton<EmbeddingIndex>();
        builder.Services.AddScoped<PaperEmbedder>();
        builder.Services.AddScoped<EmbedPapersJob>();
    }
}
