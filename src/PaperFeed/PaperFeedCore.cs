using Microsoft.AspNetCore.DataProtection;
using PaperFeed.Channels;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Email;
using PaperFeed.Embeddings;
using PaperFeed.Papers;
using PaperFeed.Search;
using PaperFeed.Sources;
using PaperFeed.Topics;

namespace PaperFeed;

/// <summary>The services both hosts share: the site (Program.cs) and the operator commands (Cli/OperatorCommand.cs).</summary>
public static class PaperFeedCore
{
    public static void AddPaperFeedCore(this IHostApplicationBuilder builder)
    {
        // The catalog: SQLite by default, PostgreSQL by configuration.
        builder.AddCatalog();
        // Sources: the fetcher, parsers and ingest.
        builder.AddSources();
        // Related papers and trending scores, computed in the background; paper submission.
        builder.AddPapers();
        // Full-text search: options.
        builder.AddSearch();
        // Embeddings of papers (a local model), the job that makes them, the in-memory index search reads.
        builder.AddEmbeddings();
        // Topics: curated and arXiv category topics, tagging at ingest, the retag job.
        builder.AddTopics();
        // Email: SMTP (or the log), account mail.
        builder.AddEmail();
        // Keys in the catalog: cookies, antiforgery tokens and signed links survive restarts, work across instances
        // and are the same for the site and for `send-digests`.
        builder.Services.AddDataProtection().SetApplicationName("PaperFeed").PersistKeysToDbContext<CatalogDbContext>();
        // Digest subscriptions, and composing and sending the digests.
        builder.AddDigests();
        builder.AddDigestSending();
        // Chat channels: the webhook sender (Slack, Discord, Teams, Matrix) under the sources' address rules.
        builder.AddChannels();
    }
}
