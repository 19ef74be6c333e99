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
    public DateTime FirstSeenAt { get; set; }
}
