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

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_redirect_to_anything_but_http_or_https_is_refused_and_recorded_on_the_source(DatabaseProvider provider)
    {
        // F4: file: and javascript: ended in an unhandled UriFormatException (nothing on /sources); ftp: was spoken HTTP to.
        _internal.MapText("/feed.xml", Fixtures.Read("arxiv-rss-cs-AI-2026-07-06-two-items.xml"), "application/rss+xml");
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Sources:AllowPrivateAddresses"] = "true" });
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

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_private_or_disguised_address_is_refused_when_the_source_is_saved(DatabaseProvider provider)
    {
        // D2: these were saved and only refused when the source ran.
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Sources:AllowPrivateAddresses"] = "false" });
        using var admin = await TestAccounts.AdminAsync(app);
        const string Private = "is a private, loopback or link-local address, which sources may not reach.";
        foreach (var (url, fallback, field, error) in new[]
                 {
                     ("http://169.254.169.254/latest/meta-data/", "", "Input.Url", "169.254.169.254 " + Private),
                     ("http://2852039166/latest/meta-data/", "", "Input.Url", "169.254.169.254 " + Private),
                     ("http://0251.0376.0251.0376/", "", "Input.Url", "169.254.169.254 " + Private),
                     ("http://0xa9fea9fe/", "", "Input.Url", "169.254.169.254 " + Private),
                     ("http://10.0.0.1/feed.xml", "", "Input.Url", "10.0.0.1 " + Private),
                     ("http://172.16.5.4/feed.xml", "", "Input.Url", "172.16.5.4 " + Private),
                     ("http://192.168.1.1/feed.xml", "", "Input.Url", "192.168.1.1 " + Private),
                     ("http://127.0.0.1:9/feed.xml", "", "Input.Url", "127.0.0.1 " + Private),
                     ("http://localhost:9/feed.xml", "", "Input.Url", "localhost " + Private),
                     ("http://[::1]/feed.xml", "", "Input.Url", "[::1] " + Private),
                     ("http://[fd00::1]/feed.xml", "", "Input.Url", "[fd00::1] " + Private),
                     ("http://[::ffff:169.254.169.254]/", "", "Input.Url", "[::ffff:169.254.169.254] " + Private),
                     ("http://huggingface.co@169.254.169.254/", "", "Input.Url", "An address with a user name or password (user@host) is not allowed."),
                     ("file:///etc/passwd", "", "Input.Url", "Use an http:// or https:// address."),
                     ("https://93.184.215.14/papers/date/{date}", "http://169.254.169.254/api/daily_papers?date={date}", "Input.FallbackUrl", "169.254.169.254 " + Private),
                 })
        {
            var response = await admin.SubmitAsync("/sources/edit", "form.form", new Dictionary<string, string>
            {
                ["Input.Name"] = "Probe", ["Input.Kind"] = ((int)SourceKind.Feed).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Input.Url"] = url, ["Input.FallbackUrl"] = fallback,
            });
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
            Assert.Equal(error, page.QuerySelector($".field-error[data-valmsg-for='{field}']")!.TextContent);
        }
        Assert.False(await app.WithDbAsync(db => db.Sources.AnyAsync(s => s.Name == "Probe")));

        // A public address is saved as before.
        var saved = await admin.SubmitAsync("/sources/edit", "form.form", new Dictionary<string, string>
        {
            ["Input.Name"] = "Probe", ["Input.Kind"] = ((int)SourceKind.Feed).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Input.Url"] = "https://93.184.215.14/feed.xml",
        });
        Assert.Equal("/sources", saved.RedirectTarget());
        Assert.True(await app.WithDbAsync(db => db.Sources.AnyAsync(s => s.Name == "Probe" && s.UserAdded)));
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
