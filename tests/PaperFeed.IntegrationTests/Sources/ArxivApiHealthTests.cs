using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>
/// Enrichment and a reader's submission read the arXiv API through SourceRunner: each call's outcome is the arXiv API
/// source's health on /sources, like a scheduled source's.
/// </summary>
public sealed class ArxivApiHealthTests : IAsyncLifetime
{
    private const string Enriched = "2611.04321";
    private const string Submitted = "2611.05555";
    private LoopbackServer _arxiv = null!;
    private volatile bool _down;

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        _arxiv.Map("/api/query", async context =>
        {
            if (_down)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            var id = context.Request.Query["id_list"].ToString();
            context.Response.ContentType = "application/atom+xml; charset=utf-8";
            await context.Response.WriteAsync($"""
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
                  <id>https://arxiv.org/api/test</id><title>arXiv Query</title><updated>2026-11-25T00:00:00Z</updated>
                  <opensearch:totalResults>1</opensearch:totalResults>
                  <entry><id>http://arxiv.org/abs/{id}v1</id><title>Paper {id}</title><updated>2026-11-24T10:00:00Z</updated>
                    <summary>An abstract.</summary><published>2026-11-23T18:00:00Z</published><author><name>Ada Lovelace</name></author></entry>
                </feed>
                """);
        });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    private static async Task<AngleSharp.Dom.IElement> HealthAsync(HttpClient admin) =>
        (await admin.GetPageAsync("/sources")).QuerySelectorAll("tr[data-source]")
            .Single(r => r.QuerySelector("strong")!.TextContent == SourceRunner.ArxivApiSourceName);

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, string paper) =>
        client.SubmitAsync("/papers/submit", "main form[method=post]", new Dictionary<string, string> { ["Paper"] = paper });

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_failed_arxiv_call_of_enrichment_or_a_submission_is_the_sources_health_and_a_success_clears_it(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query",
        });
        var hf = await app.WithDbAsync(db => db.Sources.Where(s => s.Name == "Hugging Face Daily Papers").Select(s => s.Id).SingleAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(hf,
            [new PaperRecord { ArxivId = Enriched, Title = "A paper Hugging Face listed", ListDay = new DateOnly(2026, 11, 24) }]));
        using var admin = await TestAccounts.AdminAsync(app);
        _down = true;

        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None)));
        var row = await HealthAsync(admin);
        Assert.Equal("Failing (1 in a row)", row.QuerySelector(".status-failing")!.TextContent);
        Assert.Equal($"HTTP 503 from {new Uri(_arxiv.BaseUrl).Host}", row.QuerySelector(".last-error")!.TextContent);
        Assert.StartsWith("on demand", row.QuerySelector("td:nth-child(2)")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("form[action*='handler=Fetch']")); // nothing to fetch on a schedule

        var refused = await SubmitAsync(admin, Submitted);
        Assert.Contains("arXiv did not answer", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Failing (2 in a row)", (await HealthAsync(admin)).QuerySelector(".status-failing")!.TextContent);

        _down = false;
        Assert.Equal($"/papers/{Submitted}", (await SubmitAsync(admin, Submitted)).RedirectTarget());
        row = await HealthAsync(admin);
        Assert.Equal("Healthy", row.QuerySelector(".status-ok")!.TextContent);
        Assert.Null(row.QuerySelector(".last-error"));
        var source = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Name == SourceRunner.ArxivApiSourceName));
        Assert.Equal((0, false, (DateTime?)null), (source.ConsecutiveFailures, source.Enabled, source.NextRunAt));
        Assert.NotNull(source.LastSuccessAt);
    }
}
