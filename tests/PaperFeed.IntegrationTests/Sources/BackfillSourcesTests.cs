using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>Backfilling the arXiv API (paged by submittedDate) and OAI-PMH (resumption tokens) over real HTTP.</summary>
public sealed class BackfillSourcesTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 7, 6);
    private LoopbackServer _arxiv = null!;

    public async Task InitializeAsync() => _arxiv = await LoopbackServer.StartAsync();
    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    private static async Task<Source> AddSourceAsync(PaperFeedApp app, string name, SourceKind kind, string url) =>
        await app.WithDbAsync(async db =>
        {
            var source = new Source { Name = name, Kind = kind, Url = url };
            db.Sources.Add(source);
            await db.SaveChangesAsync();
            return source;
        });

    /// <summary>What the command does for a one-day range: start, the day, finish.</summary>
    private static Task<IngestResult> BackfillDayAsync(PaperFeedApp app, Source source) =>
        app.WithScopeAsync(async s =>
        {
            var backfill = s.GetRequiredService<Backfill>();
            Assert.Equal(Day, await backfill.StartAsync(source, Day, Day, CancellationToken.None));
            var result = await backfill.DayAsync(source, Day, CancellationToken.None);
            await backfill.FinishAsync(source, CancellationToken.None);
            return result;
        });

    private static Task<List<(string Id, DateOnly Day)>> ListingsAsync(PaperFeedApp app, int sourceId) =>
        app.WithDbAsync(async db => (await db.Listings.Where(l => l.SourceId == sourceId)
                .Select(l => new { l.Paper.ArxivId, l.Day }).ToListAsync())
            .Select(l => (l.ArxivId!, l.Day)).OrderBy(l => l.Item1, StringComparer.Ordinal).ToList());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_api_is_queried_by_submitted_date_and_paged_to_the_total(DatabaseProvider provider)
    {
        var queries = new List<(string? Search, string? Start, string? Max)>();
        _arxiv.Map("/api/query", async context =>
        {
            var q = context.Request.Query;
            queries.Add((q["search_query"], q["start"], q["max_results"]));
            context.Response.ContentType = "application/atom+xml";
            await context.Response.WriteAsync(Fixtures.Read($"arxiv-api-backfill-2026-07-06-start-{q["start"]}.xml"));
        });
        await using var app = await PaperFeedApp.StartAsync(provider);
        var source = await AddSourceAsync(app, "arXiv API cs.AI", SourceKind.ArxivApi, _arxiv.BaseUrl + "/api/query?search_query=cat:cs.AI");

        var result = await BackfillDayAsync(app, source);

        Assert.Equal(new IngestResult(3, 3, 0, 0), result);
        const string search = "(cat:cs.AI) AND submittedDate:[202607060000 TO 202607062359]";
        Assert.Equal([(search, "0", "2000"), (search, "2000", "2000")], queries);
        Assert.Equal([("2607.02001", Day), ("2607.02002", Day), ("2607.02003", Day)], await ListingsAsync(app, source.Id));
        var audit = await app.WithDbAsync(db => db.Papers.AsNoTracking().SingleAsync(p => p.ArxivId == "2607.02003"));
        Assert.Equal(["cs.AI", "cs.CY"], audit.Categories);
        Assert.True(audit.MetadataFromArxiv);
    }

    [Fact]
    public async Task Oai_pmh_follows_resumption_tokens_and_lists_papers_on_their_first_version()
    {
        _arxiv.Map("/oai", async context =>
        {
            var q = context.Request.Query;
            context.Response.ContentType = "text/xml";
            if (q["verb"] == "ListRecords" && q["metadataPrefix"] == "arXiv" && q["from"] == "2026-07-06" && q["until"] == "2026-07-06" && q["set"] == "cs")
                await context.Response.WriteAsync(Fixtures.Read("oai-backfill-2026-07-06-page-1.xml"));
            else if (q["verb"] == "ListRecords" && q["resumptionToken"] == "7001|2" && q.Count == 2)
                await context.Response.WriteAsync(Fixtures.Read("oai-backfill-2026-07-06-page-2.xml"));
            else
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
        });
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var source = await AddSourceAsync(app, "arXiv OAI cs", SourceKind.ArxivOai, _arxiv.BaseUrl + "/oai?set=cs");

        var result = await BackfillDayAsync(app, source);

        Assert.Equal(2, _arxiv.Requests.Count);
        Assert.Equal(3, result.New);
        // The deleted record is skipped; a paper revised that day is listed on the day it first appeared.
        Assert.Equal([("2606.09001", new DateOnly(2026, 6, 20)), ("2607.03001", Day), ("2607.03002", Day)], await ListingsAsync(app, source.Id));
        var stored = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        Assert.Null(stored.BackfillNextDay);
    }

    [Fact]
    public async Task A_failed_day_keeps_the_position_so_the_next_run_resumes_there_and_shows_on_the_sources_health()
    {
        _arxiv.MapStatus("/api/query", 500);
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var source = await AddSourceAsync(app, "arXiv API cs.AI", SourceKind.ArxivApi, _arxiv.BaseUrl + "/api/query?search_query=cat:cs.AI");
        var from = Day.AddDays(-2);

        await app.WithScopeAsync(async s =>
        {
            var backfill = s.GetRequiredService<Backfill>();
            await backfill.StartAsync(source, from, Day, CancellationToken.None);
            await Assert.ThrowsAsync<FetchException>(() => backfill.DayAsync(source, from, CancellationToken.None));
            return 0;
        });

        var stored = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        Assert.Equal(((DateOnly?)from, (DateOnly?)Day), (stored.BackfillNextDay, stored.BackfillLastDay));
        // Recorded like a scheduled run's failure, without moving the schedule.
        Assert.Equal(SourceHealth.Failing, stored.Health);
        Assert.Equal(1, stored.ConsecutiveFailures);
        Assert.StartsWith($"backfill of {from:yyyy-MM-dd}: ", stored.LastError, StringComparison.Ordinal);
        Assert.Equal(source.NextRunAt, stored.NextRunAt);
        // Day one worked on a later attempt: the position moves on, and a new run of the same range starts after it.
        _arxiv.MapText("/api/query", Fixtures.Read("arxiv-api-backfill-2026-07-06-start-2000.xml").Replace("<opensearch:totalResults>2003<", "<opensearch:totalResults>1<", StringComparison.Ordinal), "application/atom+xml");
        var resumeAt = await app.WithScopeAsync(async s =>
        {
            var backfill = s.GetRequiredService<Backfill>();
            await backfill.DayAsync(stored, from, CancellationToken.None);
            var again = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(x => x.Id == source.Id));
            return await backfill.StartAsync(again, from, Day, CancellationToken.None);
        });
        Assert.Equal(from.AddDays(1), resumeAt);
        var healed = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        Assert.Equal((SourceHealth.Healthy, 0, (string?)null), (healed.Health, healed.ConsecutiveFailures, healed.LastError));
    }
}
