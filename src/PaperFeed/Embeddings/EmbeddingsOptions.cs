using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Embeddings;

public sealed class EmbeddingsOptions
{
    public const string Section = "Embeddings";

    /// <summary>Embed papers at all (the job, `embed-papers`, semantic search and embedding-based related papers). Off for tiny servers: search stays lexical.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The text embedded is the title and the abstract cut after this many words (time grows faster than the length; 64 words ≈ 90 tokens).</summary>
    [Range(8, 400)]
    public int MaxWords { get; set; } = 64;

    /// <summary>Papers embedded per model call and per committed batch.</summary>
    [Range(1, 512)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Threads the model may use for one call (0: ONNX Runtime's default, every core).</summary>
    [Range(0, 64)]
    public int Threads { get; set; }

    /// <summary>Cron of the embed-papers job, which embeds papers that have no vector yet (never blocks ingest).</summary>
    [Required]
    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>A search checks the catalog for new vectors at most this often (seconds) and loads the new ones into memory.</summary>
    [Range(0, 3600)]
    public int RefreshSeconds { get; set; } = 60;

    /// <summary>Cores one nearest-neighbour scan may use (the int8 scan of 1M papers: ~50-70 ms on one loaded core; two did not help under load, see performance.md).</summary>
    [Range(1, 64)]
    public int ScanThreads { get; set; } = 1;

    /// <summary>Query vectors kept for repeated searches (least recently used dropped; 0: none kept). ~1.6 KB each.</summary>
    [Range(0, 100_000)]
    public int QueryCacheSize { get; set; } = 512;
}
