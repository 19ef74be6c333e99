using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run a Hangfire server in this process. Tests and read-only replicas switch it off.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Cron of the fetch-sources job (each source's own interval and backoff decide what it fetches).</summary>
    [Required]
    public string FetchSourcesCron { get; set; } = "*/15 * * * *";

    /// <summary>Cron of the enrich-papers job (arXiv metadata for papers that came from HF).</summary>
    [Required]
    public string EnrichPapersCron { get; set; } = "7,37 * * * *";

    /// <summary>Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;
}
