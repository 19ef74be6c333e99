using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>The shared fetcher and the runner's health record, over real HTTP against a loopback server.</summary>
public sealed class FetcherTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 7, 6, 9, 0, 0, TimeSpan.Zero);
    private readonly FixedTimeProvider _clock = new(Monday);
    private LoopbackServer _remote = null!;

    public async Task InitializeAsync() => _remote = await LoopbackServer.StartAsync();
    public async Task DisposeAsync() => await _remote.DisposeAsync();

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? settings = null) =>
        PaperFeedApp.StartAsync(provider, settings, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private static Task<int> AddSourceAsync(PaperFeedApp app, SourceKind kind, string url, bool userAdded = false) =>
        app.WithDbAsync(async db =>
        {
            var source = new Source { Name = $"Test {kind} {Guid.NewGuid():N}", Kind = kind, Url = url, UserAdded = userAdded };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });

    private static async Task<Source> RunAsync(PaperFeedApp app, int sourceId)
    {
        await app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(sourceId));
        return await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == sourceId));
    }

    private static Task<int> PaperCountAsync(PaperFeedApp app) => app.WithDbAsync(db => db.Papers.CountAsync());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_feed_that_has_not_changed_answers_304_and_nothing_is_rewritten(DatabaseProvider provider)
    {
        const string etag = "\"cs-ai-2026-07-06\"";
        var conditionalHeaders = new List<string?>();
        var body = Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml");
        _remote.Map("/rss/cs.AI", async context =>
        {
            conditionalHeaders.Add(context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } h ? h : null);
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            context.Response.Headers.ETag = etag;
            context.Response.ContentType = "application/rss+xml";
            // A client that ignored its validators would read a changed title here.
            await context.Response.WriteAsync(conditionalHeaders.Count == 1 ? body : body.Replace("Planning with Partial Maps", "Planning with Partial Maps, Revised", StringComparison.Ordinal));
        });
        await using var app = await StartAsync(provider);
        var id = await AddSourceAsync(app, SourceKind.ArxivRss, _remote.BaseUrl + "/rss/cs.AI");

        var first = await RunAsync(app, id);
        Assert.Null(first.LastError);
        Assert.Equal(2, first.LastPaperCount);
        var before = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.ArxivId, p.Title, p.UpdatedAt }).ToListAsync());
        Assert.Equal(2, before.Count);

        _clock.Now = Monday.AddHours(3);
        var second = await RunAsync(app, id);

        Assert.Equal([null, etag], conditionalHeaders);
        Assert.Null(second.LastError);
        Assert.Equal(0, second.ConsecutiveFailures);
        Assert.Equal(_clock.Now.UtcDateTime, second.LastSuccessAt);
        Assert.Equal(2, second.LastPaperCount);
        var after = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.ArxivId, p.Title, p.UpdatedAt }).ToListAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_user_added_feed_on_a_loopback_address_is_refused_before_connecting()
    {
        _remote.MapText("/feed.xml", Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml"), "application/rss+xml");
        await using var app = await StartAsync(DatabaseProvider.Sqlite, new() { ["Sources:AllowPrivateAddresses"] = "false" });
        var id = await AddSourceAsync(app, SourceKind.Feed, _remote.BaseUrl + "/feed.xml", userAdded: true);

        var source = await RunAsync(app, id);

        Assert.Contains("private or loopback", source.LastError);
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Null(source.LastSuccessAt);
        Assert.Empty(_remote.Requests);
        Assert.Equal(0, await PaperCountAsync(app));
    }

    [Fact]
    public async Task A_small_gzip_body_that_inflates_past_the_cap_is_refused()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // A valid feed start, then a megabyte of padding: well-formed enough to be read, far over the cap once inflated.
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes("<?xml version='1.0'?><rss version=\"2.0\"><channel><title>"));
            await gzip.WriteAsync(new byte[1_000_000].Select(_ => (byte)'a').ToArray());
            await gzip.WriteAsync(System.Text.Encoding.UTF8.GetBytes("</title></channel></rss>"));
        }
        var bomb = compressed.ToArray();
        Assert.True(bomb.Length < 100_000, $"the compressed body is small ({bomb.Length} bytes)");
        _remote.Map("/rss/cs.AI", async context =>
        {
            context.Response.ContentType = "application/rss+xml";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = bomb.Length;
            await context.Response.Body.WriteAsync(bomb);
        });
        await using var app = await StartAsync(DatabaseProvider.Sqlite, new() { ["Sources:MaxBodyBytes"] = "100000" });
        var id = await AddSourceAsync(app, SourceKind.ArxivRss, _remote.BaseUrl + "/rss/cs.AI");

        var source = await RunAsync(app, id);

        Assert.Contains("over the 100000-byte cap", source.LastError);
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Single(_remote.Requests);
        Assert.Equal(0, await PaperCountAsync(app));
        Assert.Equal(0, await app.WithDbAsync(db => db.HttpValidators.CountAsync()));
    }

    [Fact]
    public async Task A_listing_page_without_entries_or_no_updates_note_is_a_layout_change()
    {
        _remote.MapText("/list/cs.AI/new", Fixtures.Read("arxiv-list-new-cs-AI-layout-changed.html"), "text/html; charset=utf-8");
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var id = await AddSourceAsync(app, SourceKind.ArxivListing, _remote.BaseUrl + "/list/cs.AI/new");

        var source = await RunAsync(app, id);

        Assert.Contains("layout change", source.LastError);
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Null(source.LastSuccessAt);
        Assert.Equal(Monday.UtcDateTime, source.LastRunAt);
        Assert.True(source.NextRunAt > Monday.UtcDateTime, "a failed source is retried later");
        Assert.Equal(0, await PaperCountAsync(app));
    }

    [Fact]
    public async Task An_rss_feed_without_items_on_a_weekend_is_a_successful_empty_day()
    {
        _clock.Now = new DateTimeOffset(2026, 7, 4, 9, 0, 0, TimeSpan.Zero);
        _remote.MapText("/rss/cs.AI", Fixtures.Read("arxiv-rss-cs-AI-2026-07-04-saturday-empty.xml"), "application/rss+xml");
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var id = await AddSourceAsync(app, SourceKind.ArxivRss, _remote.BaseUrl + "/rss/cs.AI");

        var source = await RunAsync(app, id);

        Assert.Null(source.LastError);
        Assert.Null(source.LastWarning);
        Assert.Equal(0, source.ConsecutiveFailures);
        Assert.Equal(0, source.LastPaperCount);
        Assert.Equal(_clock.Now.UtcDateTime, source.LastSuccessAt);
        Assert.Equal(0, await PaperCountAsync(app));
    }
}
