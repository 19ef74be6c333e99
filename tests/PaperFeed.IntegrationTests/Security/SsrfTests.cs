using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// Server-side request forgery: a source an administrator adds cannot make the app reach loopback, private, link-local
/// or other internal addresses (by literal, by DNS name, in any spelling), unless the operator allows it. The check is
/// on the address actually dialled, so a redirect or a DNS answer that changes is checked again at each connection.
/// </summary>
public sealed class SsrfTests : IAsyncLifetime
{
    private LoopbackServer _internal = null!;

    public async Task InitializeAsync() => _internal = await LoopbackServer.StartAsync();
    public async Task DisposeAsync() => await _internal.DisposeAsync();

    public static TheoryData<string> InternalAddresses() =>
    [
        "http://127.0.0.1:{port}/feed.xml", "http://localhost:{port}/feed.xml", "http://127.1:{port}/feed.xml", "http://2130706433:{port}/feed.xml",
        "http://0x7f000001:{port}/feed.xml", "http://[::1]:{port}/feed.xml", "http://[::ffff:127.0.0.1]:{port}/feed.xml", "http://0.0.0.0:{port}/feed.xml",
        "http://10.0.0.1/feed.xml", "http://172.16.5.4/feed.xml", "http://192.168.1.1/feed.xml", "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/feed.xml", "http://[fe80::1]/feed.xml", "http://[fd00::1]/feed.xml", "http://224.0.0.1/feed.xml",
        "https://127.0.0.1:{port}/feed.xml", "http://LocalHost:{port}/feed.xml",
    ];

    [Theory]
    [MemberData(nameof(InternalAddresses))]
    public async Task A_user_added_source_cannot_reach_an_internal_address(string address)
    {
        _internal.MapText("/feed.xml", Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml"), "application/rss+xml");
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["Sources:AllowPrivateAddresses"] = "false", ["Sources:TimeoutSeconds"] = "3",
        });
        var url = address.Replace("{port}", new Uri(_internal.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var source = await RunAsync(app, url);

        Assert.Contains("private", source.LastError, StringComparison.Ordinal);
        Assert.Null(source.LastSuccessAt);
        Assert.Empty(_internal.Requests);
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Fact]
    public async Task The_operator_option_lets_sources_reach_the_local_network()
    {
        _internal.MapText("/feed.xml", Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml"), "application/rss+xml");
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Sources:AllowPrivateAddresses"] = "true" });

        var source = await RunAsync(app, _internal.BaseUrl + "/feed.xml");

        Assert.Null(source.LastError);
        Assert.NotEmpty(_internal.Requests);
    }

    [Fact]
    public async Task A_redirect_to_anything_but_http_or_https_is_refused_and_recorded_on_the_source()
    {
        // F4: file: and javascript: ended in an unhandled UriFormatException (nothing on /sources); ftp: was spoken HTTP to.
        _internal.MapText("/feed.xml", Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml"), "application/rss+xml");
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Sources:AllowPrivateAddresses"] = "true" });
        foreach (var (path, target, scheme) in new[] { ("/to-file", "file:///etc/passwd", "file"), ("/to-js", "javascript:alert(1)", "javascript"), ("/to-ftp", "ftp://127.0.0.1/feed.xml", "ftp") })
        {
            _internal.Map(path, context => { context.Response.StatusCode = 302; context.Response.Headers.Location = target; return Task.CompletedTask; });
            var source = await RunAsync(app, _internal.BaseUrl + path);
            Assert.Equal($"127.0.0.1 redirected to a {scheme}: address, which sources may not follow", source.LastError);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Papers.CountAsync()));

        // A relative redirect to http is still followed.
        _internal.Map("/moved", context => { context.Response.Redirect("/feed.xml"); return Task.CompletedTask; });
        Assert.Null((await RunAsync(app, _internal.BaseUrl + "/moved")).LastError);
    }

    private static async Task<Source> RunAsync(PaperFeedApp app, string url)
    {
        var id = await app.WithDbAsync(async db =>
        {
            var source = new Source { Name = "User feed " + Guid.NewGuid().ToString("N"), Kind = SourceKind.Feed, Url = url, UserAdded = true };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });
        await app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(id));
        return await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == id));
    }
}
