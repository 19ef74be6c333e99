using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Papers;

namespace PaperFeed.Comments;

/// <summary>
/// A reader's comment on a paper, or a reply to one (one level: a reply's parent is always a top-level comment).
/// <see cref="Body"/> is the Markdown as written; <see cref="Html"/> is it rendered and sanitized once, when saved.
/// A deleted comment that others replied to keeps its place with no text and no author (<see cref="DeletedAt"/>).
/// </summary>
public sealed class Comment
{
    public const int MaxLength = 10_000;

    public long Id { get; set; }
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    /// <summary>Null once the comment is deleted or its account is.</summary>
    public string? UserId { get; set; }
    public User? User { get; set; }
    public long? ParentId { get; set; }
    public string Body { get; set; } = "";
    public string Html { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? EditedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
    /// <summary>Hidden by an administrator: the text is kept (to restore it) but shown to administrators only.</summary>
    public bool Hidden { get; set; }
    /// <summary>Upvotes, kept equal to the comment's <see cref="CommentVote"/> rows in the same transaction.</summary>
    public int Score { get; set; }

    /// <summary>Counted on cards and the paper page: neither deleted nor hidden.</summary>
    public bool Visible => DeletedAt == null && !Hidden;

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(u =>
        {
            // One handle per reader: an @mention names exactly one account.
            u.HasIndex(x => x.Handle).IsUnique();
            u.Property(x => x.Handle).HasMaxLength(CommentText.HandleMaxLength);
        });
        modelBuilder.Entity<Comment>(c =>
        {
            c.HasIndex(x => new { x.PaperId, x.CreatedAt });
            c.HasIndex(x => x.UserId);
            c.HasIndex(x => x.ParentId);
            c.Property(x => x.Body).HasMaxLength(MaxLength);
            c.Ignore(x => x.Visible);
            c.HasOne(x => x.Paper).WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            // Account deletion anonymises first (AccountDeletion); SetNull is the database's guarantee.
            c.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
            c.HasOne<Comment>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CommentVote>(v =>
        {
            v.HasKey(x => new { x.CommentId, x.UserId });
            v.HasIndex(x => x.UserId);
            v.HasOne<Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
            v.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CommentReport>(r =>
        {
            r.HasKey(x => new { x.CommentId, x.UserId });
            r.HasIndex(x => x.UserId);
            r.Property(x => x.Reason).HasMaxLength(CommentReport.MaxReason);
            r.HasOne(x => x.Comment).WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>A reader's upvote of a comment (key comment + user: once each).</summary>
public sealed class CommentVote
{
    public long CommentId { get; set; }
    public required string UserId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A reader's report of a comment to the administrators (once per reader and comment).</summary>
public sealed class CommentReport
{
    public const int MaxReason = 500;

    public long CommentId { get; set; }
    public Comment Comment { get; set; } = null!;
    public required string UserId { get; set; }
    public string Reason { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
