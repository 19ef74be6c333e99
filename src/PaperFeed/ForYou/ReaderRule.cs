using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;

namespace PaperFeed.ForYou;

/// <summary>
/// What a <see cref="ReaderRule"/> says. Mute rules hide papers; follows, seeds and "less like this" (value: the paper's key) are
/// signals for the reader's ranking.
/// </summary>
public enum RuleKind { MuteKeyword, MuteAuthor, MuteCategory, FollowAuthor, FollowTopic, Seed, LessLike }

/// <summary>
/// One rule a reader set on /account/interests: a muted keyword, author or arXiv category, a followed author or topic, or a
/// seed paper. One table for all of them: each is (reader, kind, text), listed, edited and exported the same way.
/// </summary>
public sealed class ReaderRule
{
    public const int MaxValueLength = 300;

    public long Id { get; set; }
    public required string UserId { get; set; }
    public User User { get; set; } = null!;
    public RuleKind Kind { get; set; }
    /// <summary>The keyword as typed, the author's name, the category code ("cs.LG"), the topic slug, the seed's arXiv id, or the less-liked paper's key.</summary>
    public required string Value { get; set; }
    public DateTime CreatedAt { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<ReaderRule>(r =>
    {
        r.ToTable("ReaderRules");
        r.HasIndex(x => new { x.UserId, x.Kind, x.Value }).IsUnique();
        r.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        r.Property(x => x.Value).HasMaxLength(MaxValueLength);
        r.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    });
}
