using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PaperFeed.Embeddings;

/// <summary>
/// Unit vectors held as int8 codes with one scale per vector (code = round(v / scale), scale = max|v| / 127): 384 bytes a
/// paper instead of 1,536, so 1M papers take 390 MB, and a scan reads a quarter of the memory. The query is quantized to
/// 15 bits (its own scale), so a dot product is integer multiply-adds (AVX2's vpmaddwd where there is one) and the score
/// is within ~0.001 of the float cosine: far below the gaps between neighbours that matter (performance.md measures the
/// top-10 overlap with the float scan). Immutable; rows are kept in blocks, so appending new papers copies only the
/// last, partial block, and a scan can split blocks over cores. Ids ascend over the whole set.
/// </summary>
public sealed class QuantizedVectors
{
    public const int Dimensions = TextEmbedder.Dimensions;
    /// <summary>Rows per block: 12.6 MB of codes, large enough to scan without overhead, small enough to append cheaply.</summary>
    internal const int BlockRows = 32_768;
    private const int QueryLevels = 16_383; // 384 · 127 · 16,383 < 2^31: an int32 sum cannot overflow

    private sealed class Block(long[] ids, sbyte[] codes, float[] scales)
    {
        public readonly long[] Ids = ids;
        public readonly sbyte[] Codes = codes;
        public readonly float[] Scales = scales;
        public int Count => Ids.Length;
    }

    public readonly record struct Neighbor(long PaperId, float Score);

    private readonly Block[] _blocks;

    private QuantizedVectors(Block[] blocks)
    {
        _blocks = blocks;
        Count = blocks.Sum(b => b.Count);
    }

    public static readonly QuantizedVectors Empty = new([]);

    public int Count { get; }

    /// <summary>Bytes held by the codes, scales and ids.</summary>
    public long Bytes => _blocks.Sum(b => (long)b.Codes.Length + b.Scales.Length * sizeof(float) + b.Ids.Length * sizeof(long));

    /// <summary>The highest id held (ids ascend), or null when empty.</summary>
    public long? LastId => _blocks.Length == 0 ? null : _blocks[^1].Ids[^1];

    /// <summary>Collects vectors by ascending id into blocks, quantizing each as it comes (no float matrix is ever held).</summary>
    public sealed class Builder
    {
        private readonly List<Block> _blocks = [];
        private long[] _ids = new long[BlockRows];
        private sbyte[] _codes = new sbyte[BlockRows * Dimensions];
        private float[] _scales = new float[BlockRows];
        private int _count;

        public void Add(long id, ReadOnlySpan<float> vector)
        {
            if (vector.Length != Dimensions) throw new ArgumentException($"a vector has {Dimensions} values", nameof(vector));
            _ids[_count] = id;
            _scales[_count] = Quantize(vector, _codes.AsSpan(_count * Dimensions, Dimensions));
            if (++_count == BlockRows) Flush();
        }

        private void Flush()
        {
            if (_count == 0) return;
            _blocks.Add(_count == BlockRows
                ? new Block(_ids, _codes, _scales)
                : new Block(_ids[.._count], _codes[..(_count * Dimensions)], _scales[.._count]));
            _ids = new long[BlockRows];
            _codes = new sbyte[BlockRows * Dimensions];
            _scales = new float[BlockRows];
            _count = 0;
        }

        /// <summary>The vectors added, after those of <paramref name="before"/> (whose ids are all lower).</summary>
        public QuantizedVectors Build(QuantizedVectors? before = null)
        {
            Flush();
            var blocks = new List<Block>(before?._blocks ?? []);
            // A partial last block is merged with the first new one, so many small appends do not leave many small blocks.
            if (blocks.Count > 0 && _blocks.Count > 0 && blocks[^1].Count + _blocks[0].Count <= BlockRows)
            {
                var (a, b) = (blocks[^1], _blocks[0]);
                blocks[^1] = new Block([.. a.Ids, .. b.Ids], [.. a.Codes, .. b.Codes], [.. a.Scales, .. b.Scales]);
                blocks.AddRange(_blocks.Skip(1));
            }
            else blocks.AddRange(_blocks);
            _blocks.Clear();
            return new QuantizedVectors([.. blocks]);
        }
    }

    /// <summary>Writes the int8 codes of a vector; returns its scale (a zero vector gets codes 0 and scale 0).</summary>
    internal static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = 0f;
        foreach (var x in vector) max = MathF.Max(max, MathF.Abs(x));
        if (max == 0) { codes.Clear(); return 0; }
        var scale = max / 127f;
        for (var i = 0; i < vector.Length; i++) codes[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] / scale), -127, 127);
        return scale;
    }

    /// <summary>A paper's vector as held (decoded), or null when the paper has none.</summary>
    public float[]? Vector(long paperId)
    {
        foreach (var block in _blocks)
        {
            if (block.Ids[^1] < paperId) continue;
            var row = Array.BinarySearch(block.Ids, paperId);
            if (row < 0) return null;
            var vector = new float[Dimensions];
            for (var i = 0; i < Dimensions; i++) vector[i] = block.Codes[row * Dimensions + i] * block.Scales[row];
            return vector;
        }
        return null;
    }

    /// <summary>
    /// The <paramref name="k"/> rows nearest to <paramref name="query"/> (a unit vector), best first, with a score of at
    /// least <paramref name="minScore"/>, <paramref name="except"/> left out; equal scores by ascending id, so every
    /// instance answers the same. <paramref name="threads"/> > 1 splits the blocks over that many cores.
    /// </summary>
    public List<Neighbor> Nearest(ReadOnlySpan<float> query, int k, float minScore, long? except, int threads = 1)
    {
        if (Count == 0 || k <= 0) return [];
        var q = new short[Dimensions];
        var max = 0f;
        foreach (var x in query) max = MathF.Max(max, MathF.Abs(x));
        if (max == 0) return [];
        var queryScale = max / QueryLevels;
        for (var i = 0; i < Dimensions; i++) q[i] = (short)MathF.Round(query[i] / queryScale);

        var parts = Math.Clamp(threads, 1, _blocks.Length);
        if (parts == 1) return TopK(Scan(0, 1, q, queryScale, k, minScore, except), k);
        var heaps = new TopHeap[parts];
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            part => heaps[part] = Scan(part, parts, q, queryScale, k, minScore, except));
        var merged = new TopHeap(k);
        foreach (var heap in heaps)
            foreach (var (id, score) in heap.Items) merged.Offer(id, score);
        return TopK(merged, k);
    }

    /// <summary>Blocks part, part + parts, … into one heap of the best k.</summary>
    private TopHeap Scan(int part, int parts, short[] q, float queryScale, int k, float minScore, long? except)
    {
        var heap = new TopHeap(k);
        var skip = except ?? long.MinValue;
        for (var b = part; b < _blocks.Length; b += parts)
        {
            var block = _blocks[b];
            ref var codes = ref MemoryMarshal.GetArrayDataReference(block.Codes);
            ref var query = ref MemoryMarshal.GetArrayDataReference(q);
            for (var row = 0; row < block.Count; row++)
            {
                var score = Dot(ref Unsafe.Add(ref codes, row * Dimensions), ref query) * (block.Scales[row] * queryScale);
                // Most rows stop here: below the k-th best so far (ties need the id, so they go on).
                if (score < minScore || score < heap.Threshold) continue;
                var id = block.Ids[row];
                if (id != skip) heap.Offer(id, score);
            }
        }
        return heap;
    }

    private static List<Neighbor> TopK(TopHeap heap, int k) =>
        heap.Items.OrderByDescending(n => n.Score).ThenBy(n => n.Id).Take(k).Select(n => new Neighbor(n.Id, n.Score)).ToList();

    /// <summary>The integer dot product of one row's codes and the quantized query.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot(ref sbyte codes, ref short query)
    {
        if (Avx2.IsSupported)
        {
            // 32 codes at a time: widened to 16-bit, multiplied with the query and summed in pairs into 32-bit lanes.
            var acc0 = Vector256<int>.Zero;
            var acc1 = Vector256<int>.Zero;
            for (var i = 0; i < Dimensions; i += 32)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref codes, (nuint)i));
                acc0 = Avx2.Add(acc0, Avx2.MultiplyAddAdjacent(lo, Vector256.LoadUnsafe(ref query, (nuint)i)));
                acc1 = Avx2.Add(acc1, Avx2.MultiplyAddAdjacent(hi, Vector256.LoadUnsafe(ref query, (nuint)i + 16)));
            }
            return Vector256.Sum(acc0 + acc1);
        }
        var sum = 0;
        for (var i = 0; i < Dimensions; i++) sum += Unsafe.Add(ref codes, i) * Unsafe.Add(ref query, i);
        return sum;
    }

    /// <summary>The best k (score, then lower id) seen so far; <see cref="Threshold"/> is the k-th score once full.</summary>
    private sealed class TopHeap(int k)
    {
        private readonly PriorityQueue<long, (float Score, long NegId)> _heap = new(k + 1);

        public float Threshold { get; private set; } = float.NegativeInfinity;

        public void Offer(long id, float score)
        {
            var key = (score, -id);
            if (_heap.Count < k) _heap.Enqueue(id, key);
            else if (_heap.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0) _heap.EnqueueDequeue(id, key);
            if (_heap.Count == k && _heap.TryPeek(out _, out var kth)) Threshold = kth.Score;
        }

        public IEnumerable<(long Id, float Score)> Items => _heap.UnorderedItems.Select(i => (i.Element, i.Priority.Score));
    }
}
