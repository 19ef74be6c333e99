using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Papers;

namespace PaperFeed.Channels;

/// <summary>
/// A saved view posted to a team's chat: the lab's (no owner, set by an administrator) or a reader's own.
/// <see cref="WebhookUrl"/> and <see cref="MatrixToken"/> are secrets: stored, shown masked, never logged.
/// </summary>
public sealed class ChatChannel
{
    public int Id { get; set; }
    /// <summary>Null: the lab's channel; otherwise the reader who owns it.</summary>
    public string? OwnerId { get; set; }
    public required string Name { get; set; }
    public ChatService Service { get; set; }
    /// <summary>The incoming webhook (Slack, Discord, Teams) or the Matrix homeserver's base address.</summary>
    public required string WebhookUrl { get; set; }
    public string? MatrixRoom { get; set; }
    public string? MatrixToken { get; set; }
    /// <summary>A list address of this site (path and query, e.g. "/top?tag=cs.LG"), or <see cref="ForYouView"/>.</summary>
    public required string View { get; set; }
    public bool Enabled { get; set; } = true;

    public DateTime CreatedAt { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public DateTime? LastFailureAt { get; set; }
    public string? LastError { get; set; }
    public int ConsecutiveFailures { get; set; }
    public int? LastPostedCount { get; set; }
    /// <summary>What the channels page says of it, as of a source (not stored: follows from the fields above).</summary>
    public Sources.SourceHealth Health => Sources.SourceHealthRule.Of(Enabled, ConsecutiveFailures, LastSuccessAt);

    public const string ForYouView = "for-you";

    /// <summary>The address as a page shows it: scheme and host, the rest hidden ("https://hooks.slack.com/…").</summary>
    public static string Masked(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}/…" : "…";

    internal static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ChatChannel>(c =>
        {
            c.HasIndex(x => x.OwnerId);
            c.HasIndex(x => x.NextAttemptAt);
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Service).HasConversion<string>().HasMaxLength(20);
            c.Property(x => x.WebhookUrl).HasMaxLength(2000);
            c.Property(x => x.MatrixRoom).HasMaxLength(300);
            c.Property(x => x.MatrixToken).HasMaxLength(500);
            c.Property(x => x.View).HasMaxLength(2000);
            c.Property(x => x.LastError).HasMaxLength(1000);
            c.HasOne<User>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ChannelPost>(p =>
        {
            p.HasKey(x => new { x.ChannelId, x.PaperId });
            p.HasIndex(x => x.PaperId);
            p.Property(x => x.DeliveryKey).HasMaxLength(64);
            p.HasOne<ChatChannel>().WithMany().HasForeignKey(x => x.ChannelId).OnDelete(DeleteBehavior.Cascade);
            p.HasOne<Paper>().WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>A paper a channel has posted (or is posting under <see cref="DeliveryKey"/>): never posted twice.</summary>
public sealed class ChannelPost
{
    public int ChannelId { get; set; }
    public long PaperId { get; set; }
    public required string DeliveryKey { get; set; }
    public DateTime PostedAt { get; set; }
}
