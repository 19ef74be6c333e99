using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Site;

/// <summary>X-Forwarded-For and X-Forwarded-Proto are believed from the configured proxy only.</summary>
public sealed class TrustedProxiesTests
{
    private const string Proxy = "10.0.0.5";
    private const string Stranger = "10.0.0.9";

    /// <summary>The in-memory test server has no peer address: this header plays the TCP peer, before the app's pipeline.</summary>
    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Peer", out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer!);
                return then(context);
            });
            next(app);
        };
    }

    private static Task<PaperFeedApp> StartAsync(bool withProxy = true, DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var settings = new Dictionary<string, string?> { ["RateLimits:AuthPermitLimit"] = "2" };
        if (withProxy) settings["Site:KnownProxies:0"] = Proxy;
        return PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<IStartupFilter, PeerFromHeader>());
    }

    private static HttpRequestMessage Get(string path, string peer, string client, string? proto = null) => Request(HttpMethod.Get, path, peer, client, proto);

    /// <summary>A sign-in POST without a form: refused (400) after the rate limiter has counted it.</summary>
    private static HttpRequestMessage Post(string path, string peer, string client) => Request(HttpMethod.Post, path, peer, client);

    private static HttpRequestMessage Request(HttpMethod method, string path, string peer, string client, string? proto = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Test-Peer", peer);
        request.Headers.Add("X-Forwarded-For", client);
        if (proto is not null) request.Headers.Add("X-Forwarded-Proto", proto);
        return request;
    }

    [Fact]
    public async Task Rate_limits_count_each_client_behind_the_trusted_proxy_and_the_peer_itself_otherwise()
    {
        await using var app = await StartAsync();
        using var http = app.CreateClient(new() { AllowAutoRedirect = false });

        // Behind the trusted proxy: 203.0.113.1 uses its two sign-in attempts; 203.0.113.2 still has its own.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Proxy, "203.0.113.1"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Proxy, "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Proxy, "203.0.113.1"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Proxy, "203.0.113.2"))).StatusCode);

        // From an address not configured as a proxy the header is ignored: a new X-Forwarded-For each time buys nothing.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Stranger, "198.51.100.1"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Stranger, "198.51.100.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/login", Stranger, "198.51.100.3"))).StatusCode);
        // Page loads are not what guessing needs: they never count.
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(Get("/account/login", Stranger, "198.51.100.4"))).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Without_a_configured_proxy_no_client_is_believed(DatabaseProvider provider)
    {
        // F1: with both trusted lists empty ASP.NET skipped the check and believed every client's headers.
        await using var app = await StartAsync(withProxy: false, provider);
        using var http = app.CreateClient(new() { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/forgot", Stranger, "198.51.100.1"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/forgot", Stranger, "198.51.100.2"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(Post("/account/forgot", Stranger, "198.51.100.3"))).StatusCode);

        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [new PaperRecord { ArxivId = "2606.04002", Title = "No Proxy At All", ListDay = new DateOnly(2026, 6, 12), Upvotes = 3 }]));
        var page = await (await http.SendAsync(Get("/digest/preview", Stranger, "203.0.113.1", "https"))).Content.ReadAsStringAsync();
        Assert.Contains("http://localhost/papers/2606.04002", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_scheme_is_the_trusted_proxys_and_no_one_elses(DatabaseProvider provider)
    {
        await using var app = await StartAsync(withProxy: true, provider);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [new PaperRecord { ArxivId = "2606.04001", Title = "Proxies and Schemes", ListDay = new DateOnly(2026, 6, 12), Upvotes = 3 }]));
        using var http = app.CreateClient();

        // Without App:BaseUrl the preview links to the address the visitor used.
        var viaProxy = await http.SendAsync(Get("/digest/preview", Proxy, "203.0.113.1", "https"));
        Assert.Contains("https://localhost/papers/2606.04001", await viaProxy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var viaStranger = await http.SendAsync(Get("/digest/preview", Stranger, "203.0.113.1", "https"));
        var page = await viaStranger.Content.ReadAsStringAsync();
        Assert.Contains("http://localhost/papers/2606.04001", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://localhost/papers/", page, StringComparison.Ordinal);
    }
}
