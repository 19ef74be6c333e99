using System.Net;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Pages.Papers;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Topics;

namespace PaperFeed.IntegrationTests.Topics;

public sealed class TopicsTests
{
    private static readonly DateOnly Day = new(2026, 6, 12);

    private static readonly PaperRecord Rlhf = new()
    {
        ArxivId = "2606.05001", Title = "Scaling RLHF Reward Models", ListDay = Day, Upvotes = 5, FromArxiv = true,
        Abstract = "We study how reward models for language alignment behave as they grow.", Categories = ["cs.LG", "cs.AI"],
    };
    private static readonly PaperRecord Diffusion = new()
    {
        ArxivId = "2606.05002", Title = "Few-Step Video Diffusion Models", ListDay = Day, Upvotes = 3,
        Abstract = "A distilled sampler for video generation.",
    };
    private static readonly PaperRecord Plain = new()
    {
        ArxivId = "2606.05003", Title = "A Fragment of Opposed Ideas on Tide Tables", ListDay = Day, Upvotes = 1,
        Abstract = "Ragged coastlines and their tide tables.",
    };

    private static async Task<PaperFeedApp> StartWithPapersAsync(DatabaseProvider provider, Action<IServiceCollection>? services = null)
    {
        var app = await PaperFeedApp.StartAsync(provider, services: services);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Rlhf, Diffusion, Plain]));
        return app;
    }

    private static Task<List<string>> SlugsOfAsync(PaperFeedApp app, string arxivId) =>
        app.WithDbAsync(db => db.PaperTopics.Where(pt => pt.Paper.ArxivId == arxivId).Select(pt => pt.Topic.Slug).OrderBy(s => s).ToListAsync());

    private static async Task<IHtmlDocument> GetPageAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<string> CardTitles(IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".cards a[href^='/papers/']").Select(a => a.TextContent.Trim()).Where(t => t.Length > 0).Distinct()];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Ingest_tags_papers_by_phrases_and_categories_and_retags_them_when_they_change(DatabaseProvider provider)
    {
        await using var app = await StartWithPapersAsync(provider);

        // RLHF is a phrase of both reinforcement learning and alignment in the shipped defaults.
        Assert.Equal(["alignment-safety", "cs-ai", "cs-lg", "reinforcement-learning"], await SlugsOfAsync(app, Rlhf.ArxivId!));
        Assert.Contains("diffusion-generation", await SlugsOfAsync(app, Diffusion.ArxivId!));
        Assert.Empty(await SlugsOfAsync(app, Plain.ArxivId!)); // no "RAG" in "Ragged", no "PPO" in "Opposed"

        var revised = Rlhf with { Version = 2, Abstract = "Reward models for retrieval-augmented generation.", Categories = ["cs.CL"] };
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [revised]));
        Assert.Equal(["alignment-safety", "cs-cl", "reinforcement-learning", "retrieval-rag"], await SlugsOfAsync(app, Rlhf.ArxivId!));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Topics_list_their_counts_and_each_topic_is_a_page_and_a_feed(DatabaseProvider provider)
    {
        await using var app = await StartWithPapersAsync(provider);
        using var client = app.CreateClient();

        var index = await GetPageAsync(client, "/topics");
        Assert.Equal("1 paper", index.QuerySelector(".curated-topics li[data-slug='reinforcement-learning'] .topic-count")!.TextContent);
        Assert.Equal("0 papers", index.QuerySelector(".curated-topics li[data-slug='robotics'] .topic-count")!.TextContent);
        Assert.Equal("1 paper", index.QuerySelector(".category-topics li[data-slug='cs-lg'] .topic-count")!.TextContent);
        Assert.NotNull(index.QuerySelector(".category-topics a[href='/topics/stat-ml']"));

        // A hidden paper leaves its topics' counts (the page is evicted from the cache by the write).
        await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == Rlhf.ArxivId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Hidden, true)));
        var afterHiding = await GetPageAsync(client, "/topics");
        Assert.Equal("0 papers", afterHiding.QuerySelector(".curated-topics li[data-slug='reinforcement-learning'] .topic-count")!.TextContent);
        await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == Rlhf.ArxivId).ExecuteUpdateAsync(u => u.SetProperty(p => p.Hidden, false)));

        var feed = await GetPageAsync(client, "/topics/reinforcement-learning");
        Assert.Equal([Rlhf.Title], CardTitles(feed));
        Assert.NotNull(feed.QuerySelector("link[rel=alternate][href='/topics/reinforcement-learning?format=atom']"));
        Assert.Empty(feed.QuerySelectorAll(".filter-chips")); // the topic is the page, not a removable filter

        var atom = await client.GetAsync("/topics/reinforcement-learning?format=atom");
        Assert.Equal(HttpStatusCode.OK, atom.StatusCode);
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var entries = XDocument.Parse(await atom.Content.ReadAsStringAsync()).Root!.Elements(ns + "entry").Select(e => e.Element(ns + "title")!.Value);
        Assert.Equal([Rlhf.Title], entries);

        var category = await GetPageAsync(client, "/topics/cs-lg?q=reward");
        Assert.Equal([Rlhf.Title], CardTitles(category));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/topics/no-such-topic")).StatusCode);

        var paper = await GetPageAsync(client, "/papers/" + Rlhf.ArxivId);
        Assert.NotNull(paper.QuerySelector(".topics a[href='/topics/reinforcement-learning']"));
        Assert.NotNull(paper.QuerySelector(".topics a[href='/topics/cs-ai']"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Several_topic_filters_on_a_list_are_combined_with_or(DatabaseProvider provider)
    {
        await using var app = await StartWithPapersAsync(provider);
        using var client = app.CreateClient();
        var week = "/papers/week/" + PeriodModel.WeekId(Day);

        var both = await GetPageAsync(client, week + "?topic=reinforcement-learning&topic=diffusion-generation");
        Assert.Equal([Diffusion.Title, Rlhf.Title], CardTitles(both).Order());
        var one = await GetPageAsync(client, week + "?topic=diffusion-generation");
        Assert.Equal([Diffusion.Title], CardTitles(one));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Editing_topics_on_the_admin_page_enqueues_a_retag_that_retags_existing_papers(DatabaseProvider provider)
    {
        var jobs = new RecordingJobClient();
        await using var app = await StartWithPapersAsync(provider, s => s.AddSingleton<IBackgroundJobClient>(jobs));
        using var client = await TestAccounts.AdminAsync(app);
        var ids = await app.WithDbAsync(db => db.Topics.Where(t => t.Slug == "reinforcement-learning" || t.Slug == "robotics").ToDictionaryAsync(t => t.Slug, t => t.Id));

        // RL loses its RLHF phrases; robotics gains one of the plain paper's words; a new topic is added.
        await PostTopicAsync(client, $"/topics/edit/{ids["reinforcement-learning"]}", "Reinforcement learning", "reinforcement-learning", "Q-learning\npolicy gradient");
        await PostTopicAsync(client, $"/topics/edit/{ids["robotics"]}", "Robotics", "robotics", "robot\ncoastline");
        await PostTopicAsync(client, "/topics/edit", "Tides", "tides", "tide table");
        Assert.Equal(3, jobs.Enqueued.Count(j => j.Type == typeof(RetagJob)));
        Assert.Contains("reinforcement-learning", await SlugsOfAsync(app, Rlhf.ArxivId!)); // not before the job has run

        var result = await app.WithScopeAsync(s => s.GetRequiredService<RetagJob>().RunAsync(CancellationToken.None));

        Assert.Equal(3, result.Papers);
        Assert.Equal(["alignment-safety", "cs-ai", "cs-lg"], await SlugsOfAsync(app, Rlhf.ArxivId!));
        Assert.Equal(["robotics", "tides"], await SlugsOfAsync(app, Plain.ArxivId!));
        Assert.Equal([Plain.Title], CardTitles(await GetPageAsync(client, "/topics/tides")));
        Assert.Equal(new TagResult(3, 0, 0), await app.WithScopeAsync(s => s.GetRequiredService<RetagJob>().RunAsync(CancellationToken.None)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_admin_page_refuses_a_taken_or_reserved_slug_and_category_topics(DatabaseProvider provider)
    {
        var jobs = new RecordingJobClient();
        await using var app = await PaperFeedApp.StartAsync(provider, services: s => s.AddSingleton<IBackgroundJobClient>(jobs));
        using var client = await TestAccounts.AdminAsync(app);

        foreach (var slug in new[] { "robotics", "cs-ai", "edit", "Not A Slug" })
        {
            var response = await PostFormAsync(client, "/topics/edit", "Taken", slug, "anything");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, with the error
            Assert.NotNull(new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector(".field-error:not(:empty)"));
        }
        Assert.Empty(jobs.Enqueued);
        var category = await app.WithDbAsync(db => db.Topics.Where(t => t.Slug == "cs-ai").Select(t => t.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/topics/edit/{category}")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_start_that_seeds_a_new_default_topic_enqueues_a_retag_and_keeps_edited_topics(DatabaseProvider provider)
    {
        var jobs = new RecordingJobClient();
        await using var app = await StartWithPapersAsync(provider, s => s.AddSingleton<IBackgroundJobClient>(jobs));
        Assert.Empty(jobs.Enqueued); // the first start had no papers to re-tag
        // As if "robotics" were new in appsettings, and an administrator had renamed "agents".
        await app.WithDbAsync(async db =>
        {
            await db.Topics.Where(t => t.Slug == "robotics").ExecuteDeleteAsync();
            return await db.Topics.Where(t => t.Slug == "agents").ExecuteUpdateAsync(u => u.SetProperty(t => t.Name, "Agents (edited)"));
        });

        await app.Services.PrepareCatalogAsync();

        Assert.Single(jobs.Enqueued, j => j.Type == typeof(RetagJob));
        Assert.True(await app.WithDbAsync(db => db.Topics.AnyAsync(t => t.Slug == "robotics")));
        Assert.Equal("Agents (edited)", await app.WithDbAsync(db => db.Topics.Where(t => t.Slug == "agents").Select(t => t.Name).SingleAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task Merging_two_papers_retags_the_one_kept(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var keep = new PaperRecord { ArxivId = "2606.05010", Title = "Memory for Assistants", ListDay = Day };
        var duplicate = new PaperRecord { Title = "Memory for assistants (workshop version)", Abstract = "A RAG pipeline with long-term memory.", Doi = "10.1234/memory" };
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [keep, duplicate]));
        Assert.Empty(await SlugsOfAsync(app, keep.ArxivId!));

        var ids = await app.WithDbAsync(db => db.Papers.OrderBy(p => p.ArxivId == null).Select(p => p.Id).ToListAsync());
        Assert.Null(await app.WithScopeAsync(s => s.GetRequiredService<PaperAdmin>().MergeAsync(ids[1], ids[0], CancellationToken.None)));

        Assert.Equal(["retrieval-rag"], await SlugsOfAsync(app, keep.ArxivId!));
    }

    private static async Task PostTopicAsync(HttpClient client, string path, string name, string slug, string phrases)
    {
        var response = await PostFormAsync(client, path, name, slug, phrases);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/topics", response.Headers.Location!.OriginalString);
    }

    /// <summary>Reads the form (and its antiforgery token) and posts it back with the same client, which keeps the cookie.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string name, string slug, string phrases)
    {
        var form = await GetPageAsync(client, path);
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Name"] = name,
            ["Input.Slug"] = slug,
            ["Input.Phrases"] = phrases,
            ["Input.Description"] = "",
        }));
    }

    /// <summary>Records what would be enqueued: the job server is off in tests, and the test runs the job itself.</summary>
    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<Job> Enqueued { get; } = [];

        public string Create(Job job, IState state)
        {
            lock (Enqueued) Enqueued.Add(job);
            return Enqueued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
