using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Embeddings;

/// <summary>
/// Every paper's vector of the current model in memory as int8 codes (<see cref="QuantizedVectors"/>), searched by an
/// exact scan of them (a dot product per paper: the vectors are unit length, so it is the cosine). Per process; a
/// search checks the catalog for new vectors at most every Embeddings:RefreshSeconds, appends new papers' vectors and
/// reloads all when any other row changed. Two instances over one catalog hold the same vectors, so they answer the
/// same ranking.
/// </summary>
public sealed class EmbeddingIndex(TextEmbedder embedder, IOptions<EmbeddingsOptions> options)
{
    private sealed record Snapshot(QuantizedVectors Vectors, string Model)
    {
        public static readonly Snapshot Empty = new(QuantizedVectors.Empty, "");
        public int Count => Vectors.Count;
    }

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _checkedAt = long.MinValue;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Papers whose vector is in memory now.</summary>
    public int Count => _snapshot.Count;

    /// <summary>
    /// The <paramref name="k"/> papers nearest to the vector, best first, with a cosine of at least <paramref name="minScore"/>;
    /// ties by id. The query is embedded only when there are vectors to compare it with.
    /// </summary>
    public async Task<List<QuantizedVectors.Neighbor>> NearestAsync(CatalogDbContext db, Func<float[]> query, int k, float minScore, CancellationToken ct)
    {
        var snapshot = await FreshAsync(db, ct);
        return snapshot.Count == 0 ? [] : snapshot.Vectors.Nearest(query(), k, minScore, null, options.Value.ScanThreads);
    }

    /// <summary>The papers nearest to a paper's own vector (it left out); none when the paper has no vector yet.</summary>
    public async Task<List<QuantizedVectors.Neighbor>> NearestToPaperAsync(CatalogDbContext db, long paperId, int k, float minScore, CancellationToken ct)
    {
        var snapshot = await FreshAsync(db, ct);
        return snapshot.Vectors.Vector(paperId) is { } vector
            ? snapshot.Vectors.Nearest(vector, k, minScore, paperId, options.Value.ScanThreads)
            : [];
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = System.Numerics.Vector<float>.Zero;
        var va = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(b);
        for (var i = 0; i < va.Length; i++) sum += va[i] * vb[i];
        var total = System.Numerics.Vector.Sum(sum);
        for (var i = va.Length * System.Numerics.Vector<float>.Count; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    private async Task<Snapshot> FreshAsync(CatalogDbContext db, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var snapshot = _snapshot;
        if (snapshot.Model == embedder.Model && now - Interlocked.Read(ref _checkedAt) < options.Value.RefreshSeconds * 1000L) return snapshot;
        // While another search refreshes (a full reload of 1M vectors takes seconds), answer from the vectors held.
        if (snapshot.Model == embedder.Model && snapshot.Count > 0)
        {
            if (!await _gate.WaitAsync(0, ct)) return snapshot;
        }
        else await _gate.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (snapshot.Model == embedder.Model && now - Interlocked.Read(ref _checkedAt) < options.Value.RefreshSeconds * 1000L) return snapshot;
            var model = embedder.Model;
            var count = await db.PaperEmbeddings.CountAsync(e => e.Model == model, ct);
            if (snapshot.Model != model || count != snapshot.Count)
            {
                // New papers come with higher ids: append them; anything else (a re-embedded or deleted paper) reloads all.
                var before = snapshot.Model == model ? snapshot.Vectors : null;
                var from = before?.LastId ?? long.MinValue;
                var added = await LoadAsync(db, model, from, before, ct);
                snapshot = new Snapshot(added.Count == count || before is null ? added : await LoadAsync(db, model, long.MinValue, null, ct), model);
                _snapshot = snapshot;
            }
            Interlocked.Exchange(ref _checkedAt, now);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The vectors of papers after <paramref name="afterId"/>, appended to <paramref name="before"/>.</summary>
    private static async Task<QuantizedVectors> LoadAsync(CatalogDbContext db, string model, long afterId, QuantizedVectors? before,
        CancellationToken ct)
    {
        var builder = new QuantizedVectors.Builder();
        await foreach (var row in db.PaperEmbeddings.AsNoTracking().Where(e => e.Model == model && e.PaperId > afterId)
                           .OrderBy(e => e.PaperId).Select(e => new { e.PaperId, e.Vector }).AsAsyncEnumerable().WithCancellation(ct))
        {
            // A blob of another length (a damaged row) is left out rather than misread.
            if (row.Vector.Length != QuantizedVectors.Dimensions * sizeof(float)) continue;
            builder.Add(row.PaperId, MemoryMarshal.Cast<byte, float>(row.Vector));
        }
        return builder.Build(before);
    }
}
