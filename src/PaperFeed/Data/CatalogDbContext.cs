using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Digests;
using PaperFeed.ForYou;
using PaperFeed.Votes;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Topics;

namespace PaperFeed.Data;

/// <summary>
/// The one model of the catalog, accounts included (Identity's tables, Data Protection keys).
/// Provider subclasses below add nothing but their migration sets.
/// </summary>
public class CatalogDbContext(DbContextOptions options) : IdentityDbContext<User>(options), IDataProtectionKeyContext
{
    public DbSet<Paper> Papers => Set<Paper>();
    public DbSet<Listing> Listings => Set<Listing>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<PaperSource> PaperSources => Set<PaperSource>();
    public DbSet<HttpValidator> HttpValidators => Set<HttpValidator>();
    public DbSet<HostThrottle> HostThrottles => Set<HostThrottle>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<PaperTopic> PaperTopics => Set<PaperTopic>();
    public DbSet<UpvoteSnapshot> UpvoteSnapshots => Set<UpvoteSnapshot>();
    public DbSet<PaperNeighbor> PaperNeighbors => Set<PaperNeighbor>();
    public DbSet<Vote> Votes => Set<Vote>();
    public DbSet<SavedPaper> SavedPapers => Set<SavedPaper>();
    public DbSet<NotForMe> NotForMe => Set<NotForMe>();
    public DbSet<OpenedPaper> OpenedPapers => Set<OpenedPaper>();
    public DbSet<ReaderRule> ReaderRules => Set<ReaderRule>();
    public DbSet<DataProtectionKey> DataProtectionKeys { get; set; } = null!;
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<DigestDelivery> DigestDeliveries => Set<DigestDelivery>();
    public DbSet<DigestPaper> DigestPapers => Set<DigestPaper>();
    public DbSet<Embeddings.PaperEmbedding> PaperEmbeddings => Set<Embeddings.PaperEmbedding>();
    public DbSet<PaperFeed.Comments.Comment> Comments => Set<PaperFeed.Comments.Comment>();
    public DbSet<PaperFeed.Comments.CommentVote> CommentVotes => Set<PaperFeed.Comments.CommentVote>();
    public DbSet<PaperFeed.Comments.CommentReport> CommentReports => Set<PaperFeed.Comments.CommentReport>();
    public DbSet<Channels.ChatChannel> ChatChannels => Set<Channels.ChatChannel>();
    public DbSet<Channels.ChannelPost> ChannelPosts => Set<Channels.ChannelPost>();
    public DbSet<Watches.PaperWatch> PaperWatches => Set<Watches.PaperWatch>();
    public DbSet<Watches.PaperChange> PaperChanges => Set<Watches.PaperChange>();
    public DbSet<Watches.WatchReport> WatchReports => Set<Watches.WatchReport>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC; SQLite forgets the kind on the way back, so restore it.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        Embeddings.PaperEmbedding.Configure(modelBuilder);
        PaperFeed.Comments.Comment.Configure(modelBuilder);
        Channels.ChatChannel.Configure(modelBuilder);
        Watches.PaperWatch.Configure(modelBuilder);
        ReaderRule.Configure(modelBuilder);

        modelBuilder.Entity<Vote>(vote =>
        {
            vote.HasKey(v => new { v.UserId, v.PaperId });
            vote.HasIndex(v => v.PaperId);
            vote.HasOne(v => v.User).WithMany().HasForeignKey(v => v.UserId).OnDelete(DeleteBehavior.Cascade);
            vote.HasOne(v => v.Paper).WithMany().HasForeignKey(v => v.PaperId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Subscription>(sub =>
        {
            sub.HasIndex(x => x.Email).IsUnique();
            sub.HasIndex(x => x.Status);
            sub.Property(x => x.Email).HasMaxLength(254);
            sub.Property(x => x.TimeZone).HasMaxLength(64);
            sub.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            sub.Property(x => x.Frequency).HasConversion<string>().HasMaxLength(20);
            sub.Property(x => x.Format).HasConversion<string>().HasMaxLength(20);
            sub.Property(x => x.WeeklyDay).HasConversion<string>().HasMaxLength(20);
            sub.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<DigestDelivery>(d =>
        {
            d.HasIndex(x => new { x.SubscriptionId, x.Period }).IsUnique();
            d.HasIndex(x => x.MessageId).IsUnique();
            d.HasIndex(x => x.SentAt);
            d.Property(x => x.Period).HasMaxLength(20);
            d.Property(x => x.MessageId).HasMaxLength(200);
            d.HasOne(x => x.Subscription).WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DigestPaper>(dp =>
        {
            dp.HasKey(x => new { x.SubscriptionId, x.PaperId });
            dp.HasOne<Subscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
            dp.HasOne<PaperFeed.Papers.Paper>().WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            dp.HasOne<DigestDelivery>().WithMany().HasForeignKey(x => x.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SavedPaper>(saved =>
        {
            saved.HasKey(s => new { s.UserId, s.PaperId });
            saved.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
            saved.HasOne(s => s.Paper).WithMany().HasForeignKey(s => s.PaperId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<NotForMe>(n =>
        {
            n.ToTable("NotForMe");
            n.HasKey(x => new { x.UserId, x.PaperId });
            n.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            n.HasOne(x => x.Paper).WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<OpenedPaper>(o =>
        {
            o.ToTable("OpenedPapers");
            o.HasKey(x => new { x.UserId, x.PaperId });
            // The lab asks "opened by anyone?" per paper.
            o.HasIndex(x => x.PaperId);
            o.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            o.HasOne(x => x.Paper).WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Paper>(paper =>
        {
            paper.HasIndex(p => p.Key).IsUnique();
            paper.HasIndex(p => p.ArxivId).IsUnique();
            paper.HasIndex(p => p.NormalizedTitle);
            paper.HasIndex(p => p.Doi);
            paper.HasIndex(p => p.PublishedAt);
            // The few hidden papers, found without a scan: /topics counts every tag, then takes theirs away.
            paper.HasIndex(p => p.Id, "IX_Papers_Hidden").HasFilter("\"Hidden\"");
            paper.HasIndex(p => p.Upvotes);
            // The full sort keys of the top and trending lists, id last: keyset paging seeks to (a, b, id) in one index range.
            paper.HasIndex(p => new { p.TrendingScore, p.Upvotes, p.Id });
            paper.HasIndex(p => new { p.VoteCount, p.Upvotes, p.Id });
            paper.Property(p => p.Key).HasMaxLength(300);
            paper.Property(p => p.ArxivId).HasMaxLength(64);
            paper.Property(p => p.Title).HasMaxLength(1000);
            paper.Property(p => p.NormalizedTitle).HasMaxLength(1000);
            paper.Ignore(p => p.ArxivUrl);
            paper.Ignore(p => p.PdfUrl);
        });

        modelBuilder.Entity<Listing>(listing =>
        {
            listing.HasIndex(l => new { l.SourceId, l.Day, l.PaperId }).IsUnique();
            listing.HasIndex(l => new { l.Day, l.PaperId });
            listing.HasIndex(l => l.PaperId);
            listing.Property(l => l.AnnounceType).HasMaxLength(20);
            listing.HasOne(l => l.Paper).WithMany(p => p.Listings).HasForeignKey(l => l.PaperId).OnDelete(DeleteBehavior.Cascade);
            listing.HasOne(l => l.Source).WithMany().HasForeignKey(l => l.SourceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PaperSource>(ps =>
        {
            ps.HasKey(x => new { x.PaperId, x.SourceId });
            ps.HasIndex(x => x.SourceId);
            ps.HasOne(x => x.Paper).WithMany(p => p.Sources).HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            ps.HasOne(x => x.Source).WithMany().HasForeignKey(x => x.SourceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Topic>(topic =>
        {
            topic.HasIndex(t => t.Slug).IsUnique();
            topic.Property(t => t.Slug).HasMaxLength(100);
            topic.Property(t => t.Name).HasMaxLength(200);
            topic.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<PaperTopic>(pt =>
        {
            pt.HasKey(x => new { x.PaperId, x.TopicId });
            pt.HasIndex(x => new { x.TopicId, x.PaperId });
            pt.HasOne(x => x.Paper).WithMany(p => p.Topics).HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            pt.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<UpvoteSnapshot>(snapshot =>
        {
            snapshot.HasIndex(x => new { x.PaperId, x.At });
            snapshot.HasIndex(x => x.At);
            snapshot.HasOne<Paper>().WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<PaperNeighbor>(n =>
        {
            n.HasKey(x => new { x.PaperId, x.NeighborId });
            n.HasOne<Paper>().WithMany().HasForeignKey(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
            n.HasOne(x => x.Neighbor).WithMany().HasForeignKey(x => x.NeighborId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<HttpValidator>(v =>
        {
            v.HasKey(x => x.Url);
            v.Property(x => x.Url).HasMaxLength(2000);
        });

        modelBuilder.Entity<HostThrottle>(t =>
        {
            t.HasKey(x => x.Host);
            t.Property(x => x.Host).HasMaxLength(255);
            t.Property(x => x.NextAllowedAt).IsConcurrencyToken();
        });

        modelBuilder.Entity<Source>(source =>
        {
            source.HasIndex(s => s.Name).IsUnique();
            source.Property(s => s.Name).HasMaxLength(200);
            source.Property(s => s.Kind).HasConversion<string>().HasMaxLength(40);
        });
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>Owns the SQLite migration set (embedded default).</summary>
public sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options);

/// <summary>Owns the PostgreSQL migration set (production).</summary>
public sealed class PostgresCatalogDbContext(DbContextOptions<PostgresCatalogDbContext> options) : CatalogDbContext(options);
