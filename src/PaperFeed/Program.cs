using PaperFeed.Accounts;
using PaperFeed.Cli;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Health;
using PaperFeed.Jobs;
using PaperFeed.Papers;
using PaperFeed.Search;
using PaperFeed.Site;
using PaperFeed.Sources;
using PaperFeed.Topics;

// Operator commands (import, migrate, …) share this binary and the site's code paths.
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

// appsettings.json, wwwroot and data/ from the app's own folder when published (Site/ContentRoot.cs).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Default(args) });

// Structured logs (Serilog, configured in appsettings).
builder.AddLogging();
// The catalog: SQLite by default, PostgreSQL by configuration.
builder.AddCatalog();
// Sources: the fetcher, parsers and ingest.
builder.AddSources();
// Related papers and trending scores, computed in the background.
builder.AddPapers();
// Full-text search: options (provider SQL in Search/PaperSearch.cs).
builder.AddSearch();
// Topics: curated and arXiv category topics, tagging at ingest, the retag job.
builder.AddTopics();
// Hangfire: recurring fetches, storage beside the catalog.
builder.AddJobs();
// Razor Pages, caching, compression, error pages.
builder.AddSite();
// Accounts, votes, email, rate limits.
builder.AddAccounts();
// Digest subscriptions, and composing and sending the digests.
builder.AddDigests();
builder.AddDigestSending();
// Liveness and readiness probes for orchestrators.
builder.AddHealth();

var app = builder.Build();

await app.Services.PrepareCatalogAsync();
app.UseSite();
await app.UseAccountsAsync();
app.MapSite();
app.MapPapersApi();
app.MapRecurringJobs();
app.MapHealth();

await app.RunAsync();
return 0;

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
