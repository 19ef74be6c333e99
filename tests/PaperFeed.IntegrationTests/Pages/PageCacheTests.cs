using System.Data.Common;
using System.IO.Compression;
using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Accounts;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Pages;

/// <summary>
/// What a visitor sees of the output cache: anonymous pages come from it and change as soon as a vote or an ingest
/// changes the catalog; signed-in pages never come from it; answers are compressed when asked; and the day page runs
/// the same few SQL queries however many papers the day has.
/// </summary>
public sealed class PageCacheTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Day = "/papers/date/2026-06-12";

    private static readonly Dictionary<string, string?> ManySignIns = new() { ["RateLimits:AuthPermitLimit"] = "1000" };

    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    private static string VoteCount(IHtmlDocument page, long paperId) =>
        page.QuerySelector($"article[aria-labelledby='t-{paperId}'] .vote-count")!.TextContent.Trim();

    /// <summary>The output cache answers with an Age header; a page rendered for this request has none.</summary>
    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_anonymous_visitor_gets_a_cached_page_that_changes_with_a_vote_and_an_ingest(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, ManySignIns);
        var paperId = await AccountFlowTests.SeedDayAsync(app);
        var visitor = app.CreateClient();

        var (first, page) = await GetAsync(visitor, Day);
        Assert.False(FromCache(first));
        Assert.Equal("0", VoteCount(page, paperId));
        var (again, _) = await GetAsync(visitor, Day);
        Assert.True(FromCache(again));

        // A reader votes: the visitor's next request shows the vote.
        var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await reader.PostFormAsync(await Forms.VoteFormAsync(reader, Day, paperId))).StatusCode);
        var (afterVote, votedPage) = await GetAsync(visitor, Day);
        Assert.False(FromCache(afterVote));
        Assert.Equal("1", VoteCount(votedPage, paperId));

        // A new day arrives through ingest: the home page, cached a moment ago, now opens on it.
        Assert.Equal("Friday, 12 June 2026", (await GetAsync(visitor, "/")).Page.QuerySelector("h1")!.TextContent.Trim());
        Assert.True(FromCache((await GetAsync(visitor, "/")).Response));
        var records = HfDailyPapersJsonParser.Parse(Fixtures.Read("hf-day-2026-06-15.json")).Papers;
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        Assert.Equal("Monday, 15 June 2026", (await GetAsync(visitor, "/")).Page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Every_catalog_page_comes_from_the_cache_on_an_anonymous_visitors_second_request()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        await AccountFlowTests.SeedDayAsync(app);
        var visitor = app.CreateClient();
        var topic = await app.WithDbAsync(db => db.PaperTopics.Where(pt => pt.Paper.ArxivId == "2606.01001").Select(pt => pt.Topic.Slug).FirstAsync());

        foreach (var path in new[] { "/", Day, Day + "?tab=all&sort=new", "/papers/week/2026-W24", "/papers/month/2026-06", "/papers/trending",
            "/topics", "/topics/" + topic, "/papers/2606.01001", Day + "?format=atom", "/api/daily_papers", "/api/papers/2606.01001" })
        {
            var first = await visitor.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.False(first.Headers.Contains("Set-Cookie"), $"{path} sets a cookie, so it is never cached");
            Assert.True(FromCache(await visitor.GetAsync(path)), $"{path} was rendered again");
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_signed_in_reader_never_gets_a_cached_page_nor_anyone_elses_state(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, ManySignIns);
        var paperId = await AccountFlowTests.SeedDayAsync(app);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var visitor = app.CreateClient();
        Assert.Equal(HttpStatusCode.Redirect, (await ada.PostFormAsync(await Forms.VoteFormAsync(ada, Day, paperId))).StatusCode);

        // Ada's page (her vote pressed, her sign-out form) is rendered for her, twice, and never stored for others.
        foreach (var _ in new[] { 1, 2 })
        {
            var (response, page) = await GetAsync(ada, Day);
            Assert.False(FromCache(response));
            Assert.Equal("true", page.QuerySelector($"form.vote-form[action='/vote/{paperId}'] button")!.GetAttribute("aria-pressed"));
        }
        var (anonymous, anonymousPage) = await GetAsync(visitor, Day);
        Assert.False(FromCache(anonymous));
        Assert.Null(anonymousPage.QuerySelector("form.vote-form"));
        Assert.Null(anonymousPage.QuerySelector("form[action='/account/logout']"));
        Assert.Equal("/account/login", anonymousPage.QuerySelector("nav.account-nav a")!.GetAttribute("href"));
        Assert.True(FromCache((await GetAsync(visitor, Day)).Response));

        // Bob asks for the page the visitor has cached: he gets his own, with his (absent) vote and his own token.
        var (bobs, bobsPage) = await GetAsync(bob, Day);
        Assert.False(FromCache(bobs));
        Assert.Equal("false", bobsPage.QuerySelector($"form.vote-form[action='/vote/{paperId}'] button")!.GetAttribute("aria-pressed"));
        Assert.NotNull(bobsPage.QuerySelector("form[action='/account/logout'] input[name='__RequestVerificationToken']"));
    }

    [Theory]
    [InlineData("br", Day)]
    [InlineData("gzip", Day)]
    [InlineData("gzip", Day + "?format=atom")]
    [InlineData("br", "/api/daily_papers?date=2026-06-12")]
    public async Task Answers_are_compressed_when_the_client_asks_cached_or_not(string encoding, string path)
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        await AccountFlowTests.SeedDayAsync(app);
        var client = app.CreateClient();
        var plain = await client.GetStringAsync(path);

        foreach (var _ in new[] { 1, 2 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
            using var response = await client.SendAsync(request);
            Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length < plain.Length / 2, $"{bytes.Length} compressed bytes for {plain.Length} characters");
            await using Stream decoder = encoding == "br"
                ? new BrotliStream(new MemoryStream(bytes), CompressionMode.Decompress)
                : new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            Assert.Equal(plain, await new StreamReader(decoder).ReadToEndAsync());
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_day_page_runs_the_same_few_queries_whatever_the_number_of_papers(DatabaseProvider provider)
    {
        var counter = new CommandCounter();
        // The cache is off here: every request renders, so every request's queries are counted.
        var settings = new Dictionary<string, string?>(ManySignIns) { ["App:PageCacheSeconds"] = "0" };
        await using var app = await PaperFeedApp.StartAsync(provider, settings, services =>
        {
            services.ConfigureDbContext<SqliteCatalogDbContext>((_, o) => o.AddInterceptors(counter));
            services.ConfigureDbContext<PostgresCatalogDbContext>((_, o) => o.AddInterceptors(counter));
        });
        var visitor = app.CreateClient();
        var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");

        async Task<(int Anonymous, int SignedIn)> CountAsync(string path, int expectedCards)
        {
            var before = counter.Count;
            Assert.Equal(expectedCards, (await GetAsync(visitor, path)).Page.QuerySelectorAll("article.card").Length);
            var anonymous = counter.Count - before;
            before = counter.Count;
            Assert.Equal(expectedCards, (await GetAsync(reader, path)).Page.QuerySelectorAll("article.card").Length);
            return (anonymous, counter.Count - before);
        }

        await IngestAsync(app, 0, 3);
        var few = await CountAsync(Day + "?tab=all", 3);
        await IngestAsync(app, 3, 120);
        var many = await CountAsync(Day + "?tab=all", 50);
        var later = await CountAsync(Day + "?tab=all&page=3", 23);

        output.WriteLine($"{provider}: queries (anonymous, signed in): 3 papers {few}, 123 papers {many}, page 3 {later}");
        Assert.Equal(few, many);
        Assert.Equal(few, later);
        Assert.InRange(few.Anonymous, 1, 8);
        // A reader's page also reads their votes, saves, "not for me" marks and mute rules.
        Assert.InRange(few.SignedIn, few.Anonymous, few.Anonymous + 5);
    }

    private static Task<IngestResult> IngestAsync(PaperFeedApp app, int from, int count) =>
        app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(2, [.. Enumerable.Range(from, count).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{10000 + i}",
            Title = $"Paper number {i} on counting queries",
            Abstract = "An abstract long enough to look like one.",
            Authors = [$"Author {i}", "Second Author"],
            PublishedAt = new DateTime(2026, 6, 11, 0, 0, 0, DateTimeKind.Utc),
            ListDay = new DateOnly(2026, 6, 12),
            Categories = ["cs.LG"],
        })]));

    /// <summary>Counts the SQL commands the app sends, as the database would see them.</summary>
    private sealed class CommandCounter : DbCommandInterceptor
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }
}
