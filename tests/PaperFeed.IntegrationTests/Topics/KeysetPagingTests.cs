using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Topics;

/// <summary>Next/Previous links of the long lists seek by the last row's sort key (after=/before=) instead of an OFFSET.</summary>
public sealed class KeysetPagingTests
{
    private const int Papers = 40;
    private const int PageSize = 6;

    // Ties everywhere: upvotes repeat every 3 papers, many share a publication time, some have none, trending scores repeat.
    private static Task<PaperFeedApp> StartAsync(DatabaseProvider provider, SqlLog? log = null) => StartAndSeedAsync(provider, log);

    private static async Task<PaperFeedApp> StartAndSeedAsync(DatabaseProvider provider, SqlLog? log)
    {
        var settings = new Dictionary<string, string?> { ["App:PageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), ["App:PageCacheSeconds"] = "0" };
        var app = await PaperFeedApp.StartAsync(provider, settings, log is null ? null : services =>
        {
            services.ConfigureDbContext<SqliteCatalogDbContext>((_, o) => o.AddInterceptors(log));
            services.ConfigureDbContext<PostgresCatalogDbContext>((_, o) => o.AddInterceptors(log));
        });
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [.. Enumerable.Range(0, Papers).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{20000 + i}",
            Title = $"Keyset paper {i:00}",
            Abstract = "An abstract about learning.",
            Upvotes = i % 3,
            PublishedAt = i % 7 == 0 ? null : new DateTime(2026, 6, 1 + i % 4, 0, 0, 0, DateTimeKind.Utc),
            ListDay = new DateOnly(2026, 6, 12),
            Categories = ["cs.LG"],
        })]));
        await app.WithDbAsync(db => db.Papers.ExecuteUpdateAsync(s => s.SetProperty(p => p.TrendingScore, p => (double)(p.Id % 4) / 3)));
        return app;
    }

    private static async Task<IHtmlDocument> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Titles(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("article.card h3 a, article.card h2 a").Select(a => a.TextContent.Trim()).Where(t => t.StartsWith("Keyset paper", StringComparison.Ordinal))];

    private static string? Link(IHtmlDocument page, string rel) => page.QuerySelector($"nav.pagination a[rel={rel}]")?.GetAttribute("href");

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "/topics/cs-lg")]
    [InlineData(DatabaseProvider.Sqlite, "/topics/cs-lg?sort=new")]
    [InlineData(DatabaseProvider.Sqlite, "/papers/month/2026-06?sort=trending&q=learning")]
    [InlineData(DatabaseProvider.Postgres, "/topics/cs-lg")]
    [InlineData(DatabaseProvider.Postgres, "/topics/cs-lg?sort=new")]
    [InlineData(DatabaseProvider.Postgres, "/papers/month/2026-06?sort=trending&q=learning")]
    public async Task Walking_next_visits_every_paper_once_in_the_numbered_pages_order_and_previous_walks_back(DatabaseProvider provider, string path)
    {
        await using var app = await StartAsync(provider);
        var client = app.CreateClient();
        var separator = path.Contains('?') ? "&" : "?";

        // The old paging, by number, is the order to keep.
        var pages = (Papers + PageSize - 1) / PageSize;
        var numbered = new List<List<string>>();
        for (var n = 1; n <= pages; n++) numbered.Add(Titles(await GetAsync(client, n == 1 ? path : $"{path}{separator}page={n}")));
        Assert.Equal(Papers, numbered.Sum(p => p.Count));

        var walked = new List<List<string>>();
        var urls = new List<string>();
        for (string? url = path; url is not null;)
        {
            var page = await GetAsync(client, url);
            walked.Add(Titles(page));
            urls.Add(url);
            Assert.Contains($"Page {walked.Count} of {pages}", page.QuerySelector("nav.pagination")!.TextContent);
            url = Link(page, "next");
            if (walked.Count > 2) Assert.Contains("after=", urls[^1]);
            Assert.True(walked.Count <= pages, "Next went past the last page");
        }
        Assert.Equal(numbered, walked);
        Assert.Equal(Papers, walked.SelectMany(p => p).Distinct().Count());

        // Previous from the last page retraces the same pages, ending on the plain first page.
        var back = new List<List<string>>();
        for (string? url = urls[^1]; url is not null;)
        {
            var page = await GetAsync(client, url);
            back.Add(Titles(page));
            url = Link(page, "prev");
            if (url is not null && back.Count < pages - 1) Assert.Contains("before=", url);
        }
        back.Reverse();
        Assert.Equal(numbered, back);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_deep_page_seeks_without_offset_and_its_feed_has_the_same_papers(DatabaseProvider provider)
    {
        var log = new SqlLog();
        await using var app = await StartAsync(provider, log);
        var client = app.CreateClient();
        string url = "/topics/cs-lg";
        for (var i = 1; i < 5; i++) url = Link(await GetAsync(client, url), "next")!;

        log.Clear();
        var page = await GetAsync(client, url);
        // The list's query is the one that reads the cards (with their abstracts).
        var listQuery = Assert.Single(log.Commands, c => c.Contains("\"Abstract\"", StringComparison.Ordinal) && c.Contains("LIMIT", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("OFFSET", listQuery, StringComparison.OrdinalIgnoreCase);
        // On PostgreSQL the key is one row value, which the (VoteCount, Upvotes, Id) index seeks to.
        if (provider == DatabaseProvider.Postgres)
            Assert.Matches(@"\(\w+\.""VoteCount"", \w+\.""Upvotes"", \w+\.""Id""\) < \(", listQuery);

        // The same page by number does use an OFFSET: the assertion above can fail.
        log.Clear();
        await GetAsync(client, "/topics/cs-lg?page=5");
        Assert.Contains(log.Commands, c => c.Contains("OFFSET", StringComparison.OrdinalIgnoreCase));

        var feed = await client.GetStringAsync(url + "&format=atom");
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = XDocument.Parse(feed).Root!.Elements(atom + "entry").Select(e => e.Element(atom + "title")!.Value.Trim()).ToList();
        Assert.Equal(Titles(page), entries);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_forged_or_garbage_cursor_is_a_400_page(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var client = app.CreateClient();
        var next = Link(await GetAsync(client, "/topics/cs-lg?sort=new"), "next")!;
        var token = next[(next.IndexOf("after=", StringComparison.Ordinal) + 6)..];
        static string B64(string s) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(s));

        foreach (var bad in new[]
        {
            "/topics/cs-lg?after=garbage!!", "/topics/cs-lg?after=" + B64("2|0|x|0|1|1|1"), "/topics/cs-lg?after=" + B64("nonsense"),
            "/topics/cs-lg?after=" + token, // a cursor of sort=new on the top order
            $"/topics/cs-lg?sort=new&after={token}&before={token}", "/topics/cs-lg?before=" + new string('A', 5000),
            "/papers/month/2026-06?after=" + B64("2|0||0|NaN|1|1"), "/papers/trending?after=%00", "/topics/cs-lg?page=101",
        })
        {
            var response = await client.GetAsync(bad);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(next)).StatusCode);
    }

    /// <summary>The SQL text of the commands the app sends.</summary>
    public sealed class SqlLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> _commands = new();
        public IReadOnlyList<string> Commands => [.. _commands];
        public void Clear() => _commands.Clear();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            _commands.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
