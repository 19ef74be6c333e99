using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Papers;

namespace PaperFeed.Watches;

/// <summary>A reader watches a paper (key user + paper): they hear of its new versions, venue, code and comments.</summary>
public sealed class PaperWatch
{
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    /// <summary>Changes before this are not the reader's news.</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the enrichment job last re-read this paper from arXiv for this watch (null: not yet).</summary>
    public DateTime? CheckedAt { get; set; }

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PaperWatch>(w =>
        {
            w.HasKey(x => new { x.UserId, x.PaperId });
            w.HasIndex(x => x.PaperId);
            w.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            w.HasOne(x => x.Paper).WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PaperChange>(c =>
        {
            c.HasIndex(x => new { x.PaperId, x.At });
            c.HasIndex(x => x.At);
            c.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            c.Property(x => x.OldText).HasMaxLength(PaperChange.MaxText);
            c.Property(x => x.NewText).HasMaxLength(PaperChange.MaxText);
            c.HasOne(x => x.Paper).WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            // A comment erased with its account or by its author takes its news with it.
            c.HasOne<Comments.Comment>().WithMany().HasForeignKey(x => x.CommentId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WatchReport>(r =>
        {
            r.HasKey(x => new { x.UserId, x.ChangeId });
            r.HasIndex(x => x.ChangeId);
            r.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            r.HasOne<PaperChange>().WithMany().HasForeignKey(x => x.ChangeId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

public enum PaperChangeKind
{
    /// <summary>arXiv lists a new version (<see cref="PaperChange.Version"/>).</summary>
    Version,
    Title,
    Abstract,
    /// <summary>arXiv's comment field, where "Accepted at ICLR" usually first appears.</summary>
    ArxivComment,
    JournalRef,
    /// <summary>A code repository appeared (or moved).</summary>
    Code,
    /// <summary>A new comment in PaperFeed's own discussion.</summary>
    Comment,
}

/// <summary>
/// Something a watcher wants to hear about a paper, recorded once when it happens (only for papers someone watches);
/// what each reader was told is a <see cref="WatchReport"/>, so a change is reported once per reader.
/// </summary>
public sealed class PaperChange
{
    public const int MaxText = 4000;

    public long Id { get; set; }
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public PaperChangeKind Kind { get; set; }
    public int? Version { get; set; }
    public string? OldText { get; set; }
    public string? NewText { get; set; }
    public long? CommentId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A change reported to a reader, in the digest <see cref="DeliveryId"/> (recorded in the digest's own transaction).</summary>
public sealed class WatchReport
{
    public required string UserId { get; set; }
    public long ChangeId { get; set; }
    public long DeliveryId { get; set; }
}
