using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Sources;

public sealed class SourcesOptions
{
    public const string Section = "Sources";

    /// <summary>Days re-read on every run, today included (HF accepts papers up to 14 days late).</summary>
    [Range(1, 30)]
    public int RecentDays { get; set; } = 3;

    /// <summary>User-Agent sent with every request, naming the software and where to reach its operator.</summary>
    [Required]
    public string UserAgent { get; set; } = "PaperFeed/1.0 (self-hosted paper feed; +https://github.com/paperfeed)";

    /// <summary>Seconds before a request is abandoned.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Largest response body read, in bytes; anything larger is refused.</summary>
    [Range(1024, 1_000_000_000)]
    public long MaxBodyBytes { get; set; } = 20_000_000;

    /// <summary>Longest wait between failed runs of a source, in minutes (backoff doubles up to this).</summary>
    [Range(1, 10_080)]
    public int MaxBackoffMinutes { get; set; } = 24 * 60;

    /// <summary>Hosts that get arXiv's politeness: one request per ThrottleSeconds, across all jobs and instances.</summary>
    public List<string> ThrottledHosts { get; set; } = ["arxiv.org", "export.arxiv.org", "rss.arxiv.org", "oaipmh.arxiv.org"];

    /// <summary>Seconds between two requests to a throttled host (arXiv's terms ask for 3).</summary>
    [Range(0, 600)]
    public double ThrottleSeconds { get; set; } = 3;

    /// <summary>Seconds between two requests to any other host.</summary>
    [Range(0, 600)]
    public double PolitenessSeconds { get; set; } = 1;

    /// <summary>Let sources reach loopback, private and link-local addresses (off: only tests and closed networks need it).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>arXiv export API address, used to enrich papers by id and for submissions.</summary>
    [Required, Url]
    public string ArxivApiUrl { get; set; } = "https://export.arxiv.org/api/query";

    /// <summary>Ids per enrichment request to the arXiv API.</summary>
    [Range(1, 2000)]
    public int EnrichBatchSize { get; set; } = 100;

    /// <summary>Hours before a watched paper is read from the arXiv API again (new version, comment, journal ref).</summary>
    [Range(1, 24 * 30)]
    public int WatchRecheckHours { get; set; } = 12;

    /// <summary>Titles per arXiv API request when the enrichment job looks up papers that came without an id (ti:"…" OR …).</summary>
    [Range(1, 20)]
    public int TitleLookupBatchSize { get; set; } = 5;

    /// <summary>Title lookups per enrichment run, at most: each is one polite request to arXiv.</summary>
    [Range(0, 100)]
    public int TitleLookupRequestsPerRun { get; set; } = 10;

    /// <summary>Days before a title arXiv did not know is asked again (it may have been posted since).</summary>
    [Range(1, 3650)]
    public int TitleLookupRetryDays { get; set; } = 30;

    /// <summary>Sources created on first start when the catalog has none.</summary>
    public List<SourceSeed> Seed { get; set; } = [];
}

public sealed class SourceSeed
{
    [Required] public string Name { get; set; } = "";
    public SourceKind Kind { get; set; }
    [Required] public string Url { get; set; } = "";
    public string? FallbackUrl { get; set; }
    [Range(1, 10_080)] public int IntervalMinutes { get; set; } = 60;
    public bool Curated { get; set; }
}
