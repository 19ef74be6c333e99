using PaperFeed.Accounts;
using PaperFeed.Papers;

namespace PaperFeed.Votes;

/// <summary>One person's upvote of one paper: the primary key (user, paper) makes a second one impossible.</summary>
public sealed class Vote
{
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
}

/// <summary>A bookmark, separate from votes: saving says nothing about quality.</summary>
public sealed class SavedPaper
{
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public DateTime SavedAt { get; set; }
}
