using PaperFeed.Sources;

namespace PaperFeed.Papers;

/// <summary>A paper was on a source's list for a day (for HF: the day it was added to Daily Papers).</summary>
public sealed class Listing
{
    public long Id { get; set; }
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public int SourceId { get; set; }
    public Source Source { get; set; } = null!;
    public DateOnly Day { get; set; }
    /// <summary>arXiv's announce type on that day (new, cross, replace, replace-cross); null for other sources.</summary>
    public string? AnnounceType { get; set; }
    public DateTime FirstSeenAt { get; set; }
}

/// <summary>A source has reported this paper (with or without a daily list): kept for every source it came from.</summary>
public sealed class PaperSource
{
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public int SourceId { get; set; }
    public Source Source { get; set; } = null!;
    public DateTime FirstSeenAt { get; set; }
}

/// <summary>The upstream (HF) upvote count of a paper when a poll saw it change: the history trending is computed from.</summary>
public sealed class UpvoteSnapshot
{
    public long Id { get; set; }
    public long PaperId { get; set; }
    public DateTime At { get; set; }
    public int Upvotes { get; set; }
}

/// <summary>A related paper, by text similarity (tf-idf over title and abstract), computed by a background job.</summary>
public sealed class PaperNeighbor
{
    public long PaperId { get; set; }
    public long NeighborId { get; set; }
    public Paper Neighbor { get; set; } = null!;
    public int Rank { get; set; }
    public double Score { get; set; }
}
