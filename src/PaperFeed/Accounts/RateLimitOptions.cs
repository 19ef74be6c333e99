using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Accounts;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Form posts to the account pages (register, sign in, forgot, reset, confirm, subscribe) per client address per window; page loads do not count.</summary>
    [Range(1, 1_000_000)]
    public int AuthPermitLimit { get; set; } = 10;

    /// <summary>Votes and paper submissions per signed-in reader per window.</summary>
    [Range(1, 1_000_000)]
    public int VotePermitLimit { get; set; } = 60;

    /// <summary>Comment forms (post, reply, edit, delete, upvote, report) per signed-in reader per window.</summary>
    [Range(1, 1_000_000)]
    public int CommentPermitLimit { get; set; } = 20;

    /// <summary>Length of the sliding window in seconds (six segments).</summary>
    [Range(6, 86_400)]
    public int WindowSeconds { get; set; } = 60;
}
