using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Sources;

/// <summary>The seeded Hugging Face source, fetched over real HTTP from a loopback server playing huggingface.co.</summary>
public sealed class HuggingFaceSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(2026, 6, 12, 9, 0, 0, TimeSpan.Zero);
    private LoopbackServer _hf = null!;
    private readonly FixedTimeProvider _clock = new(Today);

    public async Task InitializeAsync() => _hf = await LoopbackServer.StartAsync();
    public async Task DisposeAsync() => await _hf.DisposeAsync();

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider) => PaperFeedApp.StartAsync(provider,
        new Dictionary<string, string?>
        {
            ["Sources:RecentDays"] = "1",
            ["Sources:TimeoutSeconds"] = "1",
            ["Sources:Seed:0:Url"] = _hf.BaseUrl + "/papers/date/{date}",
            ["Sources:Seed:0:FallbackUrl"] = _hf.BaseUrl + "/api/daily_papers?date={date}",
        },
        services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock)));

    private static async Task<Source> RunSourceAsync(PaperFeedApp app)
    {
        var id = await app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).SingleAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(id));
        return await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == id));
    }

    private static Task<int> PaperCountAsync(PaperFeedApp app) => app.WithDbAsync(db => db.Papers.CountAsync());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_papers_page_is_read_and_its_papers_listed_on_their_daily_date(DatabaseProvider provider)
    {
        _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-2026-06-12.html"), "text/html; charset=utf-8");
        await using var app = await StartAsync(provider);

        var source = await RunSourceAsync(app);

        Assert.Null(source.LastError);
        Assert.Null(source.LastWarning);
        Assert.Equal(0, source.ConsecutiveFailures);
        Assert.Equal(3, source.LastPaperCount);
        Assert.Equal(Today.UtcDateTime, source.LastSuccessAt);
        Assert.Equal(Today.UtcDateTime.AddMinutes(source.IntervalMinutes), source.NextRunAt);
        var days = await app.WithDbAsync(db => db.Listings.Select(l => l.Day).Distinct().ToListAsync());
        Assert.Equal([new DateOnly(2026, 6, 12)], days);
        Assert.DoesNotContain(_hf.Requests, r => r.StartsWith("/api/", StringComparison.Ordinal));

        // A second run finds nothing new and duplicates nothing.
        await RunSourceAsync(app);
        Assert.Equal(3, await PaperCountAsync(app));
    }

    [Fact]
    public async Task A_page_without_the_data_element_falls_back_to_the_api_and_records_a_warning()
    {
        _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-layout-changed.html"), "text/html");
        _hf.MapText("/api/daily_papers?date=2026-06-12", Fixtures.Read("hf-day-2026-06-12.json"));
        await using var app = await StartAsync(DatabaseProvider.Sqlite);

        var source = await RunSourceAsync(app);

        Assert.Null(source.LastError);
        Assert.Contains("layout change", source.LastWarning);
        Assert.Equal(3, await PaperCountAsync(app));
    }

    [Fact]
    public async Task An_empty_day_is_a_success_not_an_error()
    {
        _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-empty-day.html"), "text/html");
        await using var app = await StartAsync(DatabaseProvider.Sqlite);

        var source = await RunSourceAsync(app);

        Assert.Null(source.LastError);
        Assert.Equal(0, source.LastPaperCount);
    }

    public static TheoryData<string, string> Faults => new()
    {
        { "500", "HTTP 500" },
        { "timeout", "no answer" },
        { "truncated", "cut off" },
        { "malformed", "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failing_fetch_changes_nothing_and_is_recorded_on_the_source(string fault, string expectedError)
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        // The catalog already holds one day; the failing fetch must leave it as it is.
        _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-2026-06-12.html"), "text/html");
        await RunSourceAsync(app);
        var before = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Key, p.Title, p.Upvotes, p.UpdatedAt }).ToListAsync());

        _clock.Now = Today.AddHours(2);
        switch (fault)
        {
            case "500": _hf.MapStatus("/papers/date/2026-06-12", 500); break;
            case "timeout": _hf.MapStall("/papers/date/2026-06-12", TimeSpan.FromSeconds(10)); break;
            case "truncated": _hf.MapTruncated("/papers/date/2026-06-12", Fixtures.Read("hf-page-2026-06-12.html")); break;
            case "malformed":
                _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-layout-changed.html"), "text/html");
                _hf.MapText("/api/daily_papers?date=2026-06-12", Fixtures.Read("hf-day-2026-06-12.json")[..500]);
                break;
        }

        var source = await RunSourceAsync(app);

        Assert.Contains(expectedError, source.LastError);
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Equal(Today.UtcDateTime, source.LastSuccessAt);
        Assert.True(source.NextRunAt > _clock.Now.UtcDateTime, "a failed source is retried later, with backoff");
        var after = await app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id).Select(p => new { p.Key, p.Title, p.Upvotes, p.UpdatedAt }).ToListAsync());
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_honoured_and_failures_back_off()
    {
        _hf.MapStatus("/papers/date/2026-06-12", StatusCodes.Status429TooManyRequests, retryAfter: "7200");
        await using var app = await StartAsync(DatabaseProvider.Postgres);

        var first = await RunSourceAsync(app);

        Assert.Contains("429", first.LastError);
        Assert.Equal(Today.UtcDateTime.AddSeconds(7200), first.NextRunAt);
        Assert.Equal(0, await PaperCountAsync(app));

        _hf.MapStatus("/papers/date/2026-06-12", 500);
        var second = await RunSourceAsync(app);
        var third = await RunSourceAsync(app);
        Assert.Equal(3, third.ConsecutiveFailures);
        Assert.True(third.NextRunAt - Today.UtcDateTime > second.NextRunAt - Today.UtcDateTime, "each failure waits longer");
    }

    [Fact]
    public async Task The_job_runs_only_sources_that_are_due()
    {
        _hf.MapText("/papers/date/2026-06-12", Fixtures.Read("hf-page-2026-06-12.html"), "text/html");
        await using var app = await StartAsync(DatabaseProvider.Sqlite);

        await app.WithScopeAsync(async s => { await s.GetRequiredService<FetchSourcesJob>().RunAsync(CancellationToken.None); return 0; });
        await app.WithScopeAsync(async s => { await s.GetRequiredService<FetchSourcesJob>().RunAsync(CancellationToken.None); return 0; });

        Assert.Single(_hf.Requests);
        Assert.Equal(3, await PaperCountAsync(app));
    }
}
