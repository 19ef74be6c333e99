namespace PaperFeed.Sources;

/// <summary>
/// What a parser read about one paper, before it meets the catalog. Null means "this source does not say":
/// ingest never overwrites a stored value with a null or empty one.
/// </summary>
public sealed record PaperRecord
{
    public string? ArxivId { get; init; }
    public int? Version { get; init; }
    public required string Title { get; init; }
    public string? Abstract { get; init; }
    public IReadOnlyList<string>? Authors { get; init; }
    public DateTime? PublishedAt { get; init; }
    /// <summary>The day this paper was on the source's list; null when the input is no daily list (search results).</summary>
    public DateOnly? ListDay { get; init; }

    public IReadOnlyList<string>? Categories { get; init; }
    public string? PrimaryCategory { get; init; }
    public string? Comments { get; init; }
    public string? JournalRef { get; init; }
    public string? Doi { get; init; }

    public string? GithubRepo { get; init; }
    public int? GithubStars { get; init; }
    public string? ProjectPage { get; init; }

    public int? Upvotes { get; init; }
    public int? NumComments { get; init; }
    public string? SubmittedBy { get; init; }
    public string? SubmittedByName { get; init; }
    public string? Organization { get; init; }
    public string? OrganizationName { get; init; }
    public string? AiSummary { get; init; }
    public IReadOnlyList<string>? AiKeywords { get; init; }
    public string? Thumbnail { get; init; }
    public string? DiscussionId { get; init; }

    /// <summary>The item's own address, for feed items that carry neither an arXiv id nor a DOI.</summary>
    public string? Link { get; init; }
    /// <summary>arXiv's announce type: new, cross, replace, replace-cross (RSS, listings).</summary>
    public string? AnnounceType { get; init; }

    /// <summary>True when arXiv itself is the origin: its title, authors and abstract win over others.</summary>
    public bool FromArxiv { get; init; }
}

/// <summary>What a parser found on one page: the papers, and a warning when it had to fall back.</summary>
public sealed record ParseResult(IReadOnlyList<PaperRecord> Papers, string? Warning = null)
{
    public static readonly ParseResult Empty = new([]);

    /// <summary>The day the page itself announces (an arXiv listing's heading, an RSS feed's pubDate).</summary>
    public DateOnly? Day { get; init; }
    /// <summary>Results the query has in all (Atom API's opensearch:totalResults), for paging.</summary>
    public int? TotalResults { get; init; }
    /// <summary>Where the next page starts (OAI-PMH resumptionToken); null on the last page.</summary>
    public string? ResumptionToken { get; init; }
}

/// <summary>The input is not what the parser reads (wrong format, broken JSON, a layout change).</summary>
public sealed class SourceFormatException(string message, Exception? inner = null) : Exception(message, inner);
