using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>Papers that came from Hugging Face (no categories) are completed from the arXiv API by id, over real HTTP.</summary>
public sealed class EnrichmentTests : IAsyncLifetime
{
    private const string Ids = "2606.01001,2606.01002,2606.01003";
    private LoopbackServer _arxiv = null!;

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        // The API answers the three ids the catalog asks for; any other question is a 400, like arXiv's for a bad id list.
        _arxiv.Map("/api/query", async context =>
        {
            if (context.Request.Query["id_list"] == Ids && context.Request.Query["max_results"] == "3")
            {
                context.Response.ContentType = "application/atom+xml; charset=utf-8";
                await context.Response.WriteAsync(Fixtures.Read("arxiv-api-enrich-2606.01001-01003.xml"));
            }
            else context.Response.StatusCode = StatusCodes.Status400BadRequest;
        });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider) => PaperFeedApp.StartAsync(provider,
        new Dictionary<string, string?> { ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query" });

    private static Task<int> EnrichAsync(PaperFeedApp app) =>
        app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None));

    private static async Task IngestHfDayAsync(PaperFeedApp app)
    {
        var records = HfDailyPapersJsonParser.Parse(Fixtures.Read("hf-day-2026-06-12.json")).Papers;
        Assert.All(records, r => Assert.Null(r.Categories));
        var hf = await app.WithDbAsync(db => db.Sources.Where(s => s.Name == "Hugging Face Daily Papers").Select(s => s.Id).SingleAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(hf, records));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Hf_papers_get_arxiv_categories_and_keep_their_upvotes(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await IngestHfDayAsync(app);

        var enriched = await EnrichAsync(app);

        Assert.Equal(3, enriched);
        Assert.Single(_arxiv.Requests);
        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.ArxivId).ToListAsync());
        Assert.All(papers, p => Assert.True(p.MetadataFromArxiv));
        var experts = papers[0];
        Assert.Equal(["cs.LG", "cs.CL"], experts.Categories);
        Assert.Equal("cs.LG", experts.PrimaryCategory);
        Assert.Equal("18 pages, 6 figures", experts.Comments);
        Assert.Equal(2, experts.Version);
        Assert.Equal(42, experts.Upvotes);
        Assert.Equal("https://github.com/example/tiny-experts", experts.GithubRepo);
        // arXiv's title and abstract are authoritative over what HF showed.
        var entropy = papers[1];
        Assert.Equal("Entropy Bounds for Diffusion Samplers", entropy.Title);
        Assert.EndsWith("and samplers that meet it.", entropy.Abstract);
        Assert.Equal(["cs.IT", "stat.ML"], entropy.Categories);
        Assert.Equal("cs.AI", papers[2].PrimaryCategory);
        Assert.Equal(7, papers[2].Upvotes);
        // Enrichment adds no day: the papers stay listed on their HF day only.
        Assert.Equal([new DateOnly(2026, 6, 12)], await app.WithDbAsync(db => db.Listings.Select(l => l.Day).Distinct().ToListAsync()));

        using var client = app.CreateClient();
        var response = await client.GetAsync("/papers/2606.01001");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var sources = page.QuerySelector(".paper-sources")!.TextContent;
        Assert.Contains("Hugging Face Daily Papers", sources);
        Assert.Contains("arXiv API", sources); // the enrichment source, by its reader's name
        Assert.DoesNotContain("enrichment", sources);
        Assert.Equal("cs.LG, cs.CL", page.QuerySelector(".categories")!.TextContent);

        // Every paper is now described by arXiv: a second run asks nothing.
        Assert.Equal(0, await EnrichAsync(app));
        Assert.Single(_arxiv.Requests);
    }

    [Fact]
    public async Task A_later_hf_fetch_does_not_undo_arxiv_metadata()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        await IngestHfDayAsync(app);
        await EnrichAsync(app);

        // HF lists the same day again, with its own (worse) title and a new vote count.
        await IngestHfDayAsync(app);

        var entropy = await app.WithDbAsync(db => db.Papers.AsNoTracking().SingleAsync(p => p.ArxivId == "2606.01002"));
        Assert.Equal("Entropy Bounds for Diffusion Samplers", entropy.Title);
        Assert.Equal(["cs.IT", "stat.ML"], entropy.Categories);
        Assert.Equal(0, await EnrichAsync(app));
        Assert.Single(_arxiv.Requests);
    }

    [Fact]
    public async Task An_api_failure_changes_nothing_and_is_retried_next_run()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        await IngestHfDayAsync(app);
        _arxiv.MapStatus("/api/query", 503, retryAfter: "60");

        Assert.Equal(0, await EnrichAsync(app));

        Assert.Single(_arxiv.Requests);
        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().ToListAsync());
        Assert.All(papers, p => Assert.False(p.MetadataFromArxiv));
        Assert.All(papers, p => Assert.Empty(p.Categories));

        _arxiv.MapText("/api/query", Fixtures.Read("arxiv-api-enrich-2606.01001-01003.xml"), "application/atom+xml");
        Assert.Equal(3, await EnrichAsync(app));
    }

    [Fact]
    public async Task A_hf_fetch_that_brings_new_papers_queues_an_enrichment()
    {
        _arxiv.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-2026-06-12.html"), "text/html; charset=utf-8");
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 6, 12, 9, 0, 0, TimeSpan.Zero));
        // PostgreSQL keeps Hangfire's queue in the test's own database, so the queue seen here is this app's alone.
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Postgres, new Dictionary<string, string?>
        {
            ["Sources:RecentDays"] = "1",
            ["Sources:Seed:0:Url"] = _arxiv.BaseUrl + "/papers/date/{date}",
            ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query",
        }, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        var hf = await app.WithDbAsync(db => db.Sources.Where(s => s.Name == "Hugging Face Daily Papers").Select(s => s.Id).SingleAsync());
        var queue = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        await app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(hf));

        var queued = queue.EnqueuedJobs("default", 0, 10);
        Assert.Equal(typeof(EnrichPapersJob), Assert.Single(queued).Value.Job.Type);

        // Nothing new the second time: nothing more to enrich.
        await app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(hf));
        Assert.Single(queue.EnqueuedJobs("default", 0, 10));
    }
}
