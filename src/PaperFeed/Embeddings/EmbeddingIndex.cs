using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Embeddings;

/// <summary>
/// Every paper's vector of the current model in one float matrix in memory, searched by an exact scan (a dot product
/// per paper: the vectors are unit length, so it is the cosine). Per process; a search checks the catalog for new
/// vectors at most every Embeddings:RefreshSeconds, appends new papers' vectors and reloads all when any other row
/// changed. Two instances over one catalog hold the same vectors, so they answer the same ranking.
/// </summary>
public sealed class EmbeddingIndex(TextEmbedder embedder, IOptions<EmbeddingsOptions> options)
{
    /// <summary>An immutable view: ids ascending, row i of the matrix is ids[i]'s vector.</summary>
    private sealed record Snapshot(long[] Ids, float[] Matrix, string Model)
    {
        public static readonly Snapshot Empty = new([], [], "");
        public int Count => Ids.Length;
    }

    public readonly record struct Neighbor(long PaperId, float Score);

    private volatile Snapshot _snapshot = Snapshot.Empty;
    private long _checkedAt = long.MinValue;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Papers whose vector is in memory now.</summary>
    public int Count => _snapshot.Count;

    /// <summary>
    /// The <paramref name="k"/> papers nearest to the vector, best first, with a cosine of at least <paramref name="minScore"/>;
    /// ties by id. The query is embedded only when there are vectors to compare it with.
    /// </summary>
    public async Task<List<Neighbor>> NearestAsync(CatalogDbContext db, Func<float[]> query, int k, float minScore, CancellationToken ct)
    {
        var snapshot = await FreshAsync(db, ct);
        return snapshot.Count == 0 ? [] : Nearest(snapshot.Ids, snapshot.Matrix, query(), k, minScore, null);
    }

    /// <summary>The papers nearest to a paper's own vector (it left out); none when the paper has no vector yet.</summary>
    public async Task<List<Neighbor>> NearestToPaperAsync(CatalogDbContext db, long paperId, int k, float minScore, CancellationToken ct)
    {
        var snapshot = await FreshAsync(db, ct);
        var row = Array.BinarySearch(snapshot.Ids, paperId);
        if (row < 0) return [];
        var vector = snapshot.Matrix.AsSpan(row * TextEmbedder.Dimensions, TextEmbedder.Dimensions).ToArray();
        return Nearest(snapshot.Ids, snapshot.Matrix, vector, k, minScore, paperId);
    }

    /// <summary>The exact scan: row i of <paramref name="matrix"/> is <paramref name="ids"/>[i]'s vector (internal for the benchmark).</summary>
    internal static List<Neighbor> Nearest(long[] ids, float[] matrix, float[] query, int k, float minScore, long? except)
    {
        const int d = TextEmbedder.Dimensions;
        // A min-heap of the best k so far: the root is the one to drop.
        var best = new PriorityQueue<int, (float Score, long NegId)>(k + 1);
        var rows = matrix.AsSpan();
        for (var row = 0; row < ids.Length; row++)
        {
            var score = Dot(query, rows.Slice(row * d, d));
            if (score < minScore || ids[row] == except) continue;
            var key = (score, -ids[row]);
            if (best.Count < k) best.Enqueue(row, key);
            else if (best.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0) best.EnqueueDequeue(row, key);
        }
        var result = new List<Neighbor>(best.Count);
        while (best.TryDequeue(out var row, out var key)) result.Add(new Neighbor(ids[row], key.Score));
        result.Reverse();
        return result;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < va.Length; i++) sum += va[i] * vb[i];
        var total = Vector.Sum(sum);
        for (var i = va.Length * Vector<float>.Count; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }

    private async Task<Snapshot> FreshAsync(CatalogDbContext db, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var snapshot = _snapshot;
        if (snapshot.Model == embedder.Model && now - Interlocked.Read(ref _checkedAt) < options.Value.RefreshSeconds * 1000L) return snapshot;
        await _gate.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (snapshot.Model == embedder.Model && now - Interlocked.Read(ref _checkedAt) < options.Value.RefreshSeconds * 1000L) return snapshot;
            var model = embedder.Model;
            var count = await db.PaperEmbeddings.CountAsync(e => e.Model == model, ct);
            if (snapshot.Model != model || count != snapshot.Count)
            {
                // New papers come with higher ids: append them; anything else (a re-embedded or deleted paper) reloads all.
                var from = snapshot.Model == model && snapshot.Count > 0 ? snapshot.Ids[^1] : long.MinValue;
                var added = await LoadAsync(db, model, from, ct);
                snapshot = snapshot.Model == model && snapshot.Count + added.Ids.Length == count
                    ? new Snapshot([.. snapshot.Ids, .. added.Ids], [.. snapshot.Matrix, .. added.Matrix], model)
                    : from == long.MinValue ? added : await LoadAsync(db, model, long.MinValue, ct);
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

    private static async Task<Snapshot> LoadAsync(CatalogDbContext db, string model, long afterId, CancellationToken ct)
    {
        const int d = TextEmbedder.Dimensions;
        var ids = new List<long>();
        var matrix = new List<float>();
        await foreach (var row in db.PaperEmbeddings.AsNoTracking().Where(e => e.Model == model && e.PaperId > afterId)
                           .OrderBy(e => e.PaperId).Select(e => new { e.PaperId, e.Vector }).AsAsyncEnumerable().WithCancellation(ct))
        {
            // A blob of another length (a damaged row) is left out rather than misread.
            if (row.Vector.Length != d * sizeof(float)) continue;
            ids.Add(row.PaperId);
            matrix.AddRange(MemoryMarshal.Cast<byte, float>(row.Vector));
        }
        return new Snapshot([.. ids], [.. matrix], model);
    }
}
