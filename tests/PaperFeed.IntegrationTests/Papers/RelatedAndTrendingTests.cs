using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Papers.Related;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Papers;

public sealed class RelatedAndTrendingTests
{
    private static readonly DateOnly Today = new(2026, 6, 20);
    private readonly FixedTimeProvider _clock = new(new DateTimeOffset(2026, 6, 20, 9, 0, 0, TimeSpan.Zero));

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider) => PaperFeedApp.StartAsync(provider,
        services: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private static Task<IngestResult> IngestAsync(PaperFeedApp app, params PaperRecord[] records) =>
        app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));

    private static Task<int> RunRelatedAsync(PaperFeedApp app) =>
        app.WithScopeAsync(s => s.GetRequiredService<RelatedPapersJob>().RunAsync(CancellationToken.None));

    private static Task<int> RunTrendingAsync(PaperFeedApp app) =>
        app.WithScopeAsync(s => s.GetRequiredService<TrendingJob>().RunAsync(CancellationToken.None));

    private static PaperRecord Paper(string id, string title, string abstractText, string[]? authors = null) => new()
    {
        ArxivId = id, Title = title, Abstract = abstractText, Authors = authors ?? ["Someone Else"], ListDay = Today,
        PublishedAt = new DateTime(2026, 6, 18, 0, 0, 0, DateTimeKind.Utc), PrimaryCategory = "cs.CL", FromArxiv = true,
    };

    private static readonly PaperRecord[] Catalog =
    [
        Paper("2606.02001", "Sparse mixtures of experts for long-context reasoning",
            "We route tokens to sparse experts and show that mixtures of experts extend context length with less compute.",
            ["Ada Lovelace", "Alan Turing"]),
        Paper("2606.02002", "Routing tokens in sparse expert mixtures",
            "A study of expert routing: sparse mixtures of experts balance load across experts for long context.", ["Grace Hopper"]),
        Paper("2606.02003", "Protein folding with diffusion models",
            "Diffusion models generate protein structures; folding accuracy improves with equivariant networks."),
        Paper("2606.02004", "Equivariant diffusion for protein structure generation",
            "We generate protein backbones with an equivariant diffusion model conditioned on sequence."),
        Paper("2606.02005", "Reinforcement learning for robot grasping",
            "Robots learn grasping policies from camera images with reinforcement learning in simulation."),
        Paper("2606.02006", "Speech recognition in noisy rooms",
            "Acoustic models for speech recognition trained with simulated room noise and reverberation."),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task After_the_related_job_the_paper_page_links_the_related_paper_and_cites_it(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await IngestAsync(app, Catalog);

        Assert.Equal(Catalog.Length, await RunRelatedAsync(app));

        using var client = app.CreateClient();
        var response = await client.GetAsync("/papers/2606.02001");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var related = page.QuerySelectorAll(".related li a").Select(a => (a.GetAttribute("href"), a.TextContent)).ToList();
        Assert.Equal(("/papers/2606.02002", "Routing tokens in sparse expert mixtures"), related[0]);
        Assert.DoesNotContain(related, r => r.Item1 is "/papers/2606.02001" or "/papers/2606.02005" or "/papers/2606.02006");
        Assert.Contains("Grace Hopper", page.QuerySelector(".related li")!.TextContent);

        // The existing markup is still there.
        Assert.Equal("Sparse mixtures of experts for long-context reasoning", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("Ada Lovelace, Alan Turing", page.QuerySelector(".authors-full")!.TextContent);
        Assert.NotNull(page.QuerySelector(".abstract"));

        var bibtex = page.QuerySelector("pre.bibtex")!.TextContent;
        Assert.Contains("eprint = {2606.02001}", bibtex);
        Assert.Contains("author = {Ada Lovelace and Alan Turing}", bibtex);
        Assert.Contains("primaryClass = {cs.CL}", bibtex);
        Assert.StartsWith("Ada Lovelace and Alan Turing. Sparse mixtures", page.QuerySelector(".citation")!.TextContent);
        // Without script the copy button stays hidden; site.js shows it.
        Assert.True(page.QuerySelector("button.copy-citation")!.HasAttribute("hidden"));
        Assert.Empty(page.QuerySelectorAll("main script"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Running_the_related_job_twice_leaves_the_same_rows(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await IngestAsync(app, Catalog);
        var rows = () => app.WithDbAsync(db => db.PaperNeighbors.AsNoTracking().OrderBy(n => n.PaperId).ThenBy(n => n.Rank)
            .Select(n => new { n.PaperId, n.NeighborId, n.Rank, n.Score }).ToListAsync());

        await RunRelatedAsync(app);
        var first = await rows();
        await RunRelatedAsync(app);
        var second = await rows();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        Assert.DoesNotContain(first, n => n.PaperId == n.NeighborId);
        Assert.All(first.GroupBy(n => n.PaperId), g => Assert.True(g.Count() <= RelatedIndex.NeighborCount));

        // Hours later nothing changed: only papers still without neighbours are looked at again.
        _clock.Now = _clock.Now.AddHours(5);
        var withoutNeighbours = Catalog.Length - first.Select(n => n.PaperId).Distinct().Count();
        Assert.Equal(withoutNeighbours, await RunRelatedAsync(app));
        Assert.Equal(first, await rows());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_fast_growing_paper_tops_trending_and_its_feed(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        // Steady: listed four days ago with 30 upvotes, 45 this morning, 50 now. Fast: listed today with 5, 25 six hours later.
        // Old: many upvotes, listed two months ago: never trending.
        _clock.Now = new DateTimeOffset(2026, 6, 16, 9, 0, 0, TimeSpan.Zero);
        await IngestAsync(app, Paper("2606.03001", "Steady paper", "steady") with { Upvotes = 30, ListDay = new DateOnly(2026, 6, 16) },
            Paper("2604.03003", "Old paper", "old") with { Upvotes = 500, ListDay = new DateOnly(2026, 4, 20) });
        _clock.Now = new DateTimeOffset(2026, 6, 20, 9, 0, 0, TimeSpan.Zero);
        await IngestAsync(app, Paper("2606.03001", "Steady paper", "steady") with { Upvotes = 45, ListDay = new DateOnly(2026, 6, 16) },
            Paper("2606.03002", "Fast paper", "fast") with { Upvotes = 5 });
        _clock.Now = new DateTimeOffset(2026, 6, 20, 15, 0, 0, TimeSpan.Zero);
        await IngestAsync(app, Paper("2606.03001", "Steady paper", "steady") with { Upvotes = 50, ListDay = new DateOnly(2026, 6, 16) },
            Paper("2606.03002", "Fast paper", "fast") with { Upvotes = 25 });
        await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == "2604.03003").ExecuteUpdateAsync(s => s.SetProperty(p => p.TrendingScore, 99.0)));

        await RunTrendingAsync(app);
        var scores = await app.WithDbAsync(db => db.Papers.AsNoTracking().ToDictionaryAsync(p => p.ArxivId!, p => p.TrendingScore));
        Assert.Equal(0, scores["2604.03003"]);
        Assert.True(scores["2606.03002"] > scores["2606.03001"]);
        Assert.True(scores["2606.03001"] > 0);
        // Steady gained 20 since the window opened (its count four days ago was 30), over 102 hours of age.
        Assert.Equal(20 / Math.Pow(102 + 2, 1.5), scores["2606.03001"], 6);

        using var client = app.CreateClient();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/papers/trending"));
        var titles = page.QuerySelectorAll(".card-title a").Select(a => a.TextContent).ToList();
        Assert.Equal(["Fast paper", "Steady paper"], titles);
        Assert.NotNull(page.QuerySelector("a[href='/about/ranking']"));
        Assert.Null(page.QuerySelector("nav.sorts"));

        using var feed = JsonDocument.Parse(await client.GetStringAsync("/papers/trending?format=json"));
        Assert.Equal(["Fast paper", "Steady paper"],
            feed.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList());

        // Safe to run twice: the same scores.
        await RunTrendingAsync(app);
        Assert.Equal(scores, await app.WithDbAsync(db => db.Papers.AsNoTracking().ToDictionaryAsync(p => p.ArxivId!, p => p.TrendingScore)));

        var about = await client.GetAsync("/about/ranking");
        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
        Assert.Contains("1.5", await about.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_nothing_listed_for_two_weeks_trending_shows_the_latest_two_weeks_and_says_so()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        // An imported archive: the newest papers are a month old.
        await IngestAsync(app, Paper("2605.04001", "Archived paper with votes", "archived") with { Upvotes = 40, ListDay = new DateOnly(2026, 5, 18) },
            Paper("2605.04002", "Quieter archived paper", "quiet") with { Upvotes = 3, ListDay = new DateOnly(2026, 5, 12) },
            Paper("2604.04003", "Paper from before those two weeks", "older") with { Upvotes = 90, ListDay = new DateOnly(2026, 4, 30) });
        await RunTrendingAsync(app);

        using var client = app.CreateClient();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/papers/trending"));

        Assert.Equal(["Archived paper with votes", "Quieter archived paper"], page.QuerySelectorAll(".card-title a").Select(a => a.TextContent).ToList());
        var note = page.QuerySelector("p.page-note[role=status]")!;
        Assert.Contains("No papers were listed in the last two weeks", note.TextContent);
        Assert.Equal("/papers/date/2026-05-18", note.QuerySelector("a")!.GetAttribute("href"));
    }
}
