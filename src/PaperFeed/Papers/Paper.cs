namespace PaperFeed.Papers;

/// <summary>One work, whatever the number of sources that list it.</summary>
public sealed class Paper
{
    public long Id { get; set; }

    /// <summary>Canonical, never-duplicated key: the unversioned arXiv id, or "title:…" until the real id is known.</summary>
    public required string Key { get; set; }

    /// <summary>Unversioned arXiv id (new style 2401.12345 or old style hep-th/9901001).</summary>
    public string? ArxivId { get; set; }
    public int? Version { get; set; }

    public required string Title { get; set; }
    /// <summary>Lower-case, punctuation-free title used to match papers that come without an id.</summary>
    public required string NormalizedTitle { get; set; }
    public string? Abstract { get; set; }
    public List<string> Authors { get; set; } = [];
    public DateTime? PublishedAt { get; set; }

    public List<string> Categories { get; set; } = [];
    public string? PrimaryCategory { get; set; }
    public string? Comments { get; set; }
    public string? JournalRef { get; set; }
    public string? Doi { get; set; }

    public string? GithubRepo { get; set; }
    public int? GithubStars { get; set; }
    public string? ProjectPage { get; set; }

    /// <summary>PaperFeed's own upvotes: kept equal to the number of Vote rows, changed in the same transaction.</summary>
    public int VoteCount { get; set; }
    /// <summary>PaperFeed's own discussion: comments neither deleted nor hidden (Comments/CommentService keeps it).</summary>
    public int CommentCount { get; set; }

    // Upstream Hugging Face fields, stored as HF reports them.
    public int Upvotes { get; set; }
    public int? NumComments { get; set; }
    public string? SubmittedBy { get; set; }
    public string? SubmittedByName { get; set; }
    public string? Organization { get; set; }
    public string? OrganizationName { get; set; }
    public string? AiSummary { get; set; }
    public List<string> AiKeywords { get; set; } = [];
    public string? Thumbnail { get; set; }
    public string? DiscussionId { get; set; }

    /// <summary>True once arXiv itself (API, RSS, listing) supplied the metadata; HF then no longer overwrites it.</summary>
    public bool MetadataFromArxiv { get; set; }

    /// <summary>Time-decayed growth of votes, recomputed by the trending job (formula on /about/ranking).</summary>
    public double TrendingScore { get; set; }

    /// <summary>Hidden by an administrator from every list, feed and API (the row stays for merges and history).</summary>
    public bool Hidden { get; set; }

    /// <summary>
    /// <see cref="PaperMerge.Fingerprint"/> of the fields the merge rule reads, as last written by ingest or a bulk
    /// write; null when something else changed them, so the next ingest compares the whole row.
    /// </summary>
    public long? MergeHash { get; set; }

    /// <summary>
    /// When the enrichment job last asked arXiv for this paper by its exact title (it came without an id); null when
    /// never. A title arXiv does not know is asked again only after <c>Sources:TitleLookupRetryDays</c>.
    /// </summary>
    public DateTime? ArxivTitleLookupAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public List<Listing> Listings { get; set; } = [];
    public List<PaperSource> Sources { get; set; } = [];
    public List<Topics.PaperTopic> Topics { get; set; } = [];

    public string? ArxivUrl => ArxivId is null ? null : $"https://arxiv.org/abs/{ArxivId}";
    public string? PdfUrl => ArxivId is null ? null : $"https://arxiv.org/pdf/{ArxivId}";
}
