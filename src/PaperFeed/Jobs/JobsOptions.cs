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

    /// <summary>Cron of the related-papers job (tf-idf neighbours of new and changed papers).</summary>
    [Required]
    public string RelatedPapersCron { get; set; } = "23 * * * *";

    /// <summary>The related-papers job recomputes papers changed within this many hours (keep it above the cron's interval).</summary>
    [Range(1, 24 * 30)]
    public int RelatedPapersUpdatedWithinHours { get; set; } = 2;

    /// <summary>Cron of the trending job (runs a few minutes after fetch-sources, which records upvote changes).</summary>
    [Required]
    public string TrendingCron { get; set; } = "5,20,35,50 * * * *";

    /// <summary>Hangfire worker threads in this process.</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;
}
