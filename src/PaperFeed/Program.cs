using PaperFeed;
using PaperFeed.Accounts;
using PaperFeed.Cli;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Health;
using PaperFeed.Jobs;
using PaperFeed.Papers;
using PaperFeed.Site;

// A command (import, migrate, …; Cli/CommandLine.cs lists them) runs on the site's services and exits; otherwise the site.
if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

// appsettings.json, wwwroot and data/ from the app's own folder when published (Site/ContentRoot.cs).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Default(args) });

// Structured logs (Serilog, configured in appsettings).
builder.AddLogging();
// Catalog, sources, papers, search, topics, email, keys, digests: shared with the operator commands.
builder.AddPaperFeedCore();
// Hangfire: recurring fetches, storage beside the catalog.
builder.AddJobs();
// Razor Pages, caching, compression, error pages.
builder.AddSite();
// Accounts, votes, rate limits.
builder.AddAccounts();
// Liveness and readiness probes for orchestrators.
builder.AddHealth();

var app = builder.Build();

await app.Services.PrepareCatalogAsync();
app.UseSite();
await app.UseAccountsAsync();
app.MapSite();
app.MapPapersApi();
app.MapBounceWebhook();
app.MapRecurringJobs();
app.MapHealth();

await app.RunAsync();
return 0;

/// <summary>Entry point, public for WebApplicationFactory in the integration tests.</summary>
public partial class Program;
