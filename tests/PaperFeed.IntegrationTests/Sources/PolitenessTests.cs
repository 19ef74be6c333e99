using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>arXiv's terms: one request every few seconds per host, across jobs and across app instances (a throttle held in the database).</summary>
public sealed class PolitenessTests : IAsyncLifetime
{
    private const string EmptyFeed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
          <channel><title>cs.AI updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.AI</link>
          <description>cs.AI updates</description><pubDate>Sat, 01 Aug 2026 00:00:00 -0400</pubDate></channel>
        </rss>
        """;

    private LoopbackServer _arxiv = null!;
    private readonly ConcurrentBag<long> _arrivals = [];

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        foreach (var cat in new[] { "cs.AI", "cs.CL", "cs.CV", "cs.LG" })
            _arxiv.Map("/rss/" + cat, async context =>
            {
                _arrivals.Add(Stopwatch.GetTimestamp());
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(EmptyFeed);
            });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    private Dictionary<string, string?> Settings() => new()
    {
        ["Sources:ThrottledHosts:0"] = "127.0.0.1",
        ["Sources:ThrottleSeconds"] = "2",
        ["Sources:Seed:1:Url"] = _arxiv.BaseUrl + "/rss/cs.AI",
        ["Sources:Seed:2:Url"] = _arxiv.BaseUrl + "/rss/cs.CL",
        ["Sources:Seed:3:Url"] = _arxiv.BaseUrl + "/rss/cs.CV",
        ["Sources:Seed:4:Url"] = _arxiv.BaseUrl + "/rss/cs.LG",
    };

    private static Task RunAsync(PaperFeedApp app, string name) => app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<CatalogDbContext>();
        var id = db.Sources.Single(x => x.Name.StartsWith(name)).Id;
        await s.GetRequiredService<SourceRunner>().RunAsync(id);
        return 0;
    });

    private List<double> GapsInSeconds()
    {
        var times = _arrivals.Order().ToList();
        return times.Zip(times.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalSeconds).ToList();
    }

    [Fact]
    public async Task Two_instances_on_one_database_space_their_requests_to_a_throttled_host()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new PaperFeedApp(database, Settings(), ownsDatabase: false);
        await using var second = new PaperFeedApp(database, Settings(), ownsDatabase: false);
        _ = first.Server;
        _ = second.Server;

        // Four sources of one host, two from each instance, all at once.
        await Task.WhenAll(RunAsync(first, "arXiv cs.AI"), RunAsync(second, "arXiv cs.CL"),
            RunAsync(first, "arXiv cs.CV"), RunAsync(second, "arXiv cs.LG"));

        Assert.Equal(4, _arrivals.Count);
        // Slots are 2 s apart at the start of each request; arrival at the server can shift by the time a loaded
        // machine takes to connect and send, so the assertion leaves half the interval for that jitter.
        Assert.All(GapsInSeconds(), gap => Assert.True(gap >= 1.0, $"two requests only {gap:0.000} s apart"));
    }
}
