using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;
using Serilog.Core;
using Serilog.Events;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// The Hugging Face source against a loopback server that misbehaves. Each fault runs after a good fetch of the same day, and
/// must leave those papers exactly as they were, add nothing twice, and show the error: on the source (and /sources) and in the log.
/// Sequential, in the reliability step: the app's Serilog logger is the process-wide static one (AddSerilog without
/// preserveStaticLogger), so with other in-process apps starting in parallel the log line could land in another app's sinks.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait(ReliabilityCollection.Category, ReliabilityCollection.Reliability)]
public sealed class UpstreamFaultTests : IAsyncLifetime
{
    private const string Day = "/papers/date/2026-06-12";
    private const string Api = "/api/daily_papers?date=2026-06-12";
    private const int Cap = 1_000_000;
    private static readonly DateTimeOffset Today = new(2026, 6, 12, 9, 0, 0, TimeSpan.Zero);
    private readonly FixedTimeProvider _clock = new(Today);
    private readonly LogSink _log = new();
    private LoopbackServer _hf = null!;
    private PaperFeedApp _app = null!;

    public async Task InitializeAsync()
    {
        _hf = await LoopbackServer.StartAsync();
        _app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?>
            {
                ["Sources:RecentDays"] = "1",
                ["Sources:TimeoutSeconds"] = "2",
                ["Sources:MaxBodyBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Sources:Seed:0:Url"] = _hf.BaseUrl + "/papers/date/{date}",
                ["Sources:Seed:0:FallbackUrl"] = _hf.BaseUrl + "/api/daily_papers?date={date}",
            },
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
                services.AddSingleton<ILogEventSink>(_log);
            });
        // The catalog already holds the day: every fault below must leave it as it is.
        _hf.MapText(Day, Fixtures.Read("hf-page-2026-06-12.html"), "text/html; charset=utf-8");
        var first = await RunAsync();
        Assert.Null(first.LastError);
        Assert.Equal(3, await _app.WithDbAsync(db => db.Papers.CountAsync()));
        _clock.Now = Today.AddHours(2);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _hf.DisposeAsync();
    }

    private async Task<Source> RunAsync()
    {
        var id = await HfSourceIdAsync();
        await _app.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(id));
        return await _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == id));
    }

    private Task<int> HfSourceIdAsync() =>
        _app.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).SingleAsync());

    private Task<List<string>> CatalogAsync() => _app.WithDbAsync(db => db.Papers.AsNoTracking().OrderBy(p => p.Id)
        .Select(p => p.Key + "|" + p.Title + "|" + p.Abstract + "|" + p.Upvotes + "|" + p.UpdatedAt).ToListAsync());

    private Task<int> ListingCountAsync() => _app.WithDbAsync(db => db.Listings.CountAsync());

    /// <summary>Runs the source into the fault and checks: nothing lost, nothing twice, error on the source, on /sources and in the log.</summary>
    private async Task<Source> AssertFaultIsContainedAsync(string expectedError)
    {
        var before = await CatalogAsync();
        var listings = await ListingCountAsync();

        var source = await RunAsync();

        Assert.Contains(expectedError, source.LastError);
        Assert.Equal(1, source.ConsecutiveFailures);
        Assert.Equal(Today.UtcDateTime, source.LastSuccessAt);
        Assert.True(source.NextRunAt > _clock.Now.UtcDateTime, "a failed source is retried later");
        Assert.Equal(before, await CatalogAsync());
        Assert.Equal(listings, await ListingCountAsync());
        Assert.Contains(_log.Lines(LogEventLevel.Warning), l => l.Contains("Fetching", StringComparison.Ordinal) && l.Contains(expectedError, StringComparison.Ordinal));

        using var admin = await TestAccounts.AdminAsync(_app);
        var page = await admin.GetPageAsync("/sources");
        var row = page.QuerySelector($"tr[data-source='{source.Id}']")!;
        Assert.Equal("Failing (1 in a row)", row.QuerySelector(".status-failing")!.TextContent);
        Assert.Contains(expectedError, row.QuerySelector(".last-error")!.TextContent);
        return source;
    }

    [Fact]
    public async Task A_500_changes_nothing_and_is_shown()
    {
        _hf.MapStatus(Day, 500);
        await AssertFaultIsContainedAsync("HTTP 500");
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        _hf.MapStall(Day, TimeSpan.FromSeconds(30));
        await AssertFaultIsContainedAsync("no answer from 127.0.0.1 within 2 s");
    }

    [Fact]
    public async Task A_connection_reset_before_the_answer_changes_nothing()
    {
        _hf.Map(Day, context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await AssertFaultIsContainedAsync("127.0.0.1");
        Assert.Matches("cut off|failed", (await RunAsync()).LastError!);
    }

    [Fact]
    public async Task A_connection_reset_in_the_middle_of_the_body_changes_nothing()
    {
        _hf.MapTruncated(Day, Fixtures.Read("hf-page-2026-06-12.html"));
        await AssertFaultIsContainedAsync("cut off");
    }

    [Fact]
    public async Task A_slow_drip_of_bytes_is_abandoned_at_the_timeout()
    {
        var page = Encoding.UTF8.GetBytes(Fixtures.Read("hf-page-2026-06-12.html"));
        _hf.Map(Day, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength = page.Length;
            try
            {
                // One byte every 200 ms: every read makes progress, the whole would take hours.
                foreach (var b in page)
                {
                    await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(200, context.RequestAborted);
                }
            }
            catch (OperationCanceledException) { }
        });
        await AssertFaultIsContainedAsync("still incomplete after 2 s");
    }

    [Fact]
    public async Task A_2_gb_body_without_a_length_is_streamed_and_cut_at_the_cap()
    {
        var done = new TaskCompletionSource();
        _hf.Map(Day, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
            try
            {
                // Chunked, 2 GB: the client must stop reading, not buffer it.
                for (long written = 0; written < 2L * 1024 * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; written += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException) { }
            finally { done.TrySetResult(); }
        });

        await AssertFaultIsContainedAsync($"over the {Cap}-byte cap");

        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Socket buffers and the handler's 1 MB drain of an abandoned response let the server get a few MB ahead of the
        // cap; a fetcher that buffered the body would have taken all 2 GB (or run out of memory first).
        Assert.True(_hf.BytesSent < 64L * 1024 * 1024, $"the server got to send {_hf.BytesSent} bytes: the fetcher kept reading past its cap");
    }

    [Fact]
    public async Task A_2_gb_content_length_is_refused_before_reading()
    {
        var bodyRead = false;
        _hf.Map(Day, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength = 2L * 1024 * 1024 * 1024;
            await context.Response.Body.FlushAsync();
            try
            {
                await context.Response.Body.WriteAsync(new byte[64 * 1024], context.RequestAborted);
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
                bodyRead = true;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException) { }
        });

        await AssertFaultIsContainedAsync($"body of 2147483648 bytes is over the {Cap}-byte cap");
        Assert.False(bodyRead);
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_a_few_hops()
    {
        _hf.Map(Day, context => { context.Response.Redirect("/loop/a"); return Task.CompletedTask; });
        _hf.Map("/loop/a", context => { context.Response.Redirect("/loop/b"); return Task.CompletedTask; });
        _hf.Map("/loop/b", context => { context.Response.Redirect("/loop/a"); return Task.CompletedTask; });

        await AssertFaultIsContainedAsync("too many redirects");

        Assert.InRange(_hf.Requests.Count(r => r.StartsWith("/loop/", StringComparison.Ordinal)), 1, 10);
    }

    [Fact]
    public async Task A_gzip_bomb_is_stopped_at_the_cap_after_decompression()
    {
        // 200 MB of zeros in a few hundred kilobytes.
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 200; i++) await gzip.WriteAsync(zeros);
        }
        var bomb = compressed.ToArray();
        Assert.True(bomb.Length < Cap, $"the bomb is small on the wire ({bomb.Length} bytes)");
        _hf.Map(Day, async context =>
        {
            context.Response.ContentType = "text/html";
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = bomb.Length;
            try { await context.Response.Body.WriteAsync(bomb, context.RequestAborted); }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException) { }
        });

        await AssertFaultIsContainedAsync($"over the {Cap}-byte cap");
    }

    [Fact]
    public async Task Invalid_utf8_is_refused_rather_than_stored_as_replacement_characters()
    {
        // The same page with one title cut in the middle of a multi-byte character.
        var page = Encoding.UTF8.GetBytes(Fixtures.Read("hf-page-2026-06-12.html"));
        var at = IndexOf(page, "&quot;title&quot;"u8.ToArray());
        Assert.True(at > 0, "the fixture has a title");
        var broken = page.Take(at + 30).Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(page.Skip(at + 30)).ToArray();
        _hf.Map(Day, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.Body.WriteAsync(broken);
        });

        await AssertFaultIsContainedAsync("not valid UTF-8");
        Assert.DoesNotContain(await CatalogAsync(), p => p.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_where_json_was_expected_is_a_format_error()
    {
        // The page lost its data element, and the API answers with an HTML error page (a captcha, a proxy's login).
        _hf.MapText(Day, Fixtures.Read("hf-page-layout-changed.html"), "text/html");
        _hf.MapText(Api, "<!doctype html><html><body><h1>Checking your browser…</h1></body></html>", "text/html");
        await AssertFaultIsContainedAsync("malformed JSON");
    }

    [Fact]
    public async Task A_changed_page_layout_without_a_fallback_is_an_error_not_an_empty_day()
    {
        var id = await HfSourceIdAsync();
        await _app.WithDbAsync(db => db.Sources.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.FallbackUrl, (string?)null)));
        _hf.MapText(Day, Fixtures.Read("hf-page-layout-changed.html"), "text/html");

        await AssertFaultIsContainedAsync("layout change");
    }

    [Fact]
    public async Task A_429_storm_is_answered_by_waiting_not_by_asking_again()
    {
        _hf.MapStatus(Day, StatusCodes.Status429TooManyRequests, retryAfter: "3600");
        var source = await AssertFaultIsContainedAsync("429");
        Assert.Equal(_clock.Now.UtcDateTime.AddHours(1), source.NextRunAt);
        var asked = _hf.Requests.Count(r => r == Day);

        // The schedule fires every 15 minutes for the next hour: none of those runs may ask again.
        for (var i = 0; i < 3; i++)
        {
            _clock.Now = _clock.Now.AddMinutes(15);
            await _app.WithScopeAsync(async s => { await s.GetRequiredService<FetchSourcesJob>().RunAsync(CancellationToken.None); return 0; });
        }
        Assert.Equal(asked, _hf.Requests.Count(r => r == Day));

        // Past Retry-After it asks once, is refused again, and waits longer each time.
        _clock.Now = Today.AddHours(3).AddMinutes(1);
        await _app.WithScopeAsync(async s => { await s.GetRequiredService<FetchSourcesJob>().RunAsync(CancellationToken.None); return 0; });
        var after = await _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        Assert.Equal(asked + 1, _hf.Requests.Count(r => r == Day));
        Assert.Equal(2, after.ConsecutiveFailures);
        Assert.True(after.NextRunAt >= _clock.Now.UtcDateTime.AddHours(1), "Retry-After is still a floor");

        // When the storm ends, the next due run succeeds and the day is still the same three papers.
        _hf.MapText(Day, Fixtures.Read("hf-page-2026-06-12.html"), "text/html; charset=utf-8");
        _clock.Now = after.NextRunAt!.Value.AddMinutes(1);
        await _app.WithScopeAsync(async s => { await s.GetRequiredService<FetchSourcesJob>().RunAsync(CancellationToken.None); return 0; });
        var recovered = await _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        Assert.Null(recovered.LastError);
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Equal(3, await _app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
