namespace PaperFeed.Sources;

public enum SourceKind
{
    /// <summary>huggingface.co/papers/date/{date}: JSON in the page's DailyPapers hydrater element, API as fallback.</summary>
    HuggingFacePage,
    /// <summary>huggingface.co/api/daily_papers?date={date}.</summary>
    HuggingFaceApi,
    /// <summary>arxiv.org/list/{cat}/new (or /recent) HTML: the announcement of a day.</summary>
    ArxivListing,
    /// <summary>export.arxiv.org/api/query Atom: backfill and enrichment by id.</summary>
    ArxivApi,
    /// <summary>rss.arxiv.org/rss/{cats}: the daily announcement batch.</summary>
    ArxivRss,
    /// <summary>Any RSS 2.0 or Atom 1.0 feed a user adds.</summary>
    Feed,
    /// <summary>oaipmh.arxiv.org/oai ListRecords (arXiv metadata), for bulk harvests.</summary>
    ArxivOai,
    /// <summary>Files given to the import command (no schedule).</summary>
    Import,
}

/// <summary>A place PaperFeed reads papers from, with its schedule and health.</summary>
public sealed class Source
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public SourceKind Kind { get; set; }
    /// <summary>
    /// The name readers see on a paper's page: an import's source is named after its file format for operators
    /// ("Imported: arXiv API Atom"); readers are told where the papers came from ("arXiv, imported file").
    /// </summary>
    public static string ReaderName(string name, SourceKind kind)
    {
        // The enrichment job's lookups (by id, or by title for papers that came without one) ask arXiv's API.
        if (name == EnrichPapersJob.SourceName) return "arXiv API";
        if (kind == SourceKind.Import && name == ImportPrefix + ImportFormats.Describe(ImportFormat.HfCopiedText))
            return "Hugging Face papers page, copied as text";
        if (kind != SourceKind.Import || !name.StartsWith(ImportPrefix, StringComparison.Ordinal)) return name;
        var format = name[ImportPrefix.Length..];
        var origin = format.StartsWith("arXiv", StringComparison.Ordinal) ? "arXiv"
            : format.StartsWith("Hugging Face", StringComparison.Ordinal) ? "Hugging Face"
            : "a feed";
        return $"{origin}, imported file";
    }

    /// <summary>How the import command names the source of each file format (Cli/CommandLine).</summary>
    public const string ImportPrefix = "Imported: ";

    /// <summary>Address; "{date}" is replaced by the day being read (yyyy-MM-dd).</summary>
    public required string Url { get; set; }
    /// <summary>Optional second address for the same data (HF page → API).</summary>
    public string? FallbackUrl { get; set; }
    public int IntervalMinutes { get; set; } = 60;
    public bool Enabled { get; set; } = true;
    /// <summary>A curated list (HF Daily Papers): its papers are Featured on the day page.</summary>
    public bool Curated { get; set; }
    /// <summary>Added by a user (not seeded): its address is checked against private networks.</summary>
    public bool UserAdded { get; set; }

    public DateTime? NextRunAt { get; set; }
    public DateTime? LastRunAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public string? LastWarning { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int? LastPaperCount { get; set; }
    /// <summary>What the sources page says of it (not stored: follows from the fields above).</summary>
    public SourceHealth Health => SourceHealthRule.Of(Enabled || OnDemand, ConsecutiveFailures, LastSuccessAt);
    /// <summary>
    /// Read by its callers when they need it, never on a schedule: the arXiv API source of enrichment and submissions
    /// (<see cref="SourceRunner.QueryArxivApiAsync"/>). Its health is that of its last call; it cannot be paused or fetched.
    /// </summary>
    public bool OnDemand => Kind == SourceKind.ArxivApi && Name == SourceRunner.ArxivApiSourceName;
    /// <summary>Running mean of papers per successful run, to spot a run that brings far fewer than usual.</summary>
    public double? UsualPaperCount { get; set; }
    /// <summary>The next day a backfill of this source will read: a killed backfill resumes here.</summary>
    public DateOnly? BackfillNextDay { get; set; }
    /// <summary>The last day of the backfill in progress.</summary>
    public DateOnly? BackfillLastDay { get; set; }
}

/// <summary>The validators of the last good response per address, for conditional GET.</summary>
public sealed class HttpValidator
{
    public required string Url { get; set; }
    public string? ETag { get; set; }
    public string? LastModified { get; set; }
    public DateTime CheckedAt { get; set; }
}

/// <summary>When the next request to a host may start, shared by every job and app instance through the database.</summary>
public sealed class HostThrottle
{
    public required string Host { get; set; }
    public DateTime NextAllowedAt { get; set; }
}
