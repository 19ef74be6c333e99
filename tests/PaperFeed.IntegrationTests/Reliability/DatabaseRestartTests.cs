using System.Globalization;
using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using Serilog.Core;
using Xunit.Abstractions;
using Serilog.Events;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// PostgreSQL stopped (immediate: connections cut) and started again in the middle of an ingest and of a digest run, on a cluster
/// of the test's own. The app serves pages again once the server is back, and the interrupted job, run again as Hangfire's
/// automatic retry would, completes without duplicates.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait(ReliabilityCollection.Category, ReliabilityCollection.Reliability)]
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    private static readonly DateOnly Day = new(2026, 6, 12);

    private static async Task<PaperFeedApp> StartAppAsync(string catalog, IReadOnlyDictionary<string, string>? extra = null, LogSink? log = null)
    {
        var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Catalog"] = catalog };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        var app = new PaperFeedApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite), settings,
            log is null ? null : services => services.AddSingleton<ILogEventSink>(log));
        _ = app.Server;
        return app;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls until the condition holds (or fails the test).</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2)) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private static async Task<long> SafeScalarAsync(string connectionString, string sql)
    {
        try { return await ScalarAsync(connectionString, sql); }
        catch (NpgsqlException) { return -1; }
    }

    /// <summary>Requests the page until it answers (stale pooled connections may fail once each), then asks for 20 clean answers in a row.</summary>
    private async Task AssertServesAgainAsync(HttpClient client, string path)
    {
        var failures = 0;
        HttpStatusCode status;
        do
        {
            using var response = await client.GetAsync(path);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK) failures++;
        } while (status != HttpStatusCode.OK && failures < 50);
        output.WriteLine($"{path}: {failures} failed requests after the restart before the first 200");
        Assert.True(status == HttpStatusCode.OK, $"{path} still fails after {failures} requests");
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Postgres_restarted_during_an_ingest_the_site_recovers_and_the_retry_completes_without_duplicates()
    {
        const int Papers = 4_000;
        await using var cluster = await PostgresCluster.StartAsync();
        var catalog = await cluster.CreateDatabaseAsync("catalog");
        await using var app = await StartAppAsync(catalog);
        using var client = app.CreateClient();
        var records = Enumerable.Range(1, Papers).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{i:D5}", Title = $"Restart-proof paper number {i}", Abstract = "An abstract about language models and agents.",
            Authors = ["A. Author", "B. Author"], ListDay = Day, Upvotes = i % 50,
        }).ToList();
        var sourceId = await app.WithDbAsync(db => db.Sources.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());

        var ingest = app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, records));
        await WaitForAsync(async () => ingest.IsCompleted || await SafeScalarAsync(catalog, "SELECT count(*) FROM \"Papers\"") >= 500, "the first batch");
        await cluster.StopServerAsync();
        var committed = await Assert.ThrowsAnyAsync<Exception>(() => ingest);
        output.WriteLine($"the ingest failed with {committed.GetType().Name}: {committed.Message}");
        await cluster.StartServerAsync();

        var before = await ScalarAsync(catalog, "SELECT count(*) FROM \"Papers\"");
        Assert.InRange(before, 500, Papers - 1);
        await AssertServesAgainAsync(client, $"/papers/date/{Day:yyyy-MM-dd}");

        // Hangfire retries a failed job: the same ingest, run again.
        var retry = await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, records));

        Assert.Equal(Papers - before, retry.New);
        Assert.Equal(Papers, await ScalarAsync(catalog, "SELECT count(*) FROM \"Papers\""));
        Assert.Equal(Papers, await ScalarAsync(catalog, "SELECT count(DISTINCT \"Title\") FROM \"Papers\""));
        Assert.Equal(Papers, await ScalarAsync(catalog, $"SELECT count(*) FROM \"Listings\" WHERE \"SourceId\" = {sourceId}"));
        Assert.Equal(Papers, await ScalarAsync(catalog, $"SELECT count(DISTINCT \"PaperId\") FROM \"Listings\" WHERE \"SourceId\" = {sourceId}"));
    }

    [Fact]
    public async Task Postgres_restarted_during_a_digest_run_the_retry_sends_every_digest_and_at_most_one_possible_duplicate_per_connection()
    {
        const int Subscribers = 150;
        await using var cluster = await PostgresCluster.StartAsync();
        var catalog = await cluster.CreateDatabaseAsync("catalog");
        await using var smtp = SmtpSink.Start();
        var log = new LogSink();
        const int Connections = 4;
        var settings = new Dictionary<string, string>(smtp.SettingsForApp())
        {
            ["Digests:Sending:ClaimSeconds"] = "1", ["Digests:Sending:Connections"] = Connections.ToString(CultureInfo.InvariantCulture),
        };
        await using var app = await StartAppAsync(catalog, settings, log);
        using var client = app.CreateClient();
        await SeedDueWeeklyDigestsAsync(app, Subscribers);
        smtp.Delay = TimeSpan.FromMilliseconds(20);

        var run = app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        await WaitForAsync(() => Task.FromResult(run.IsCompleted || smtp.Received.Count >= 40), "40 digests sent");
        await cluster.StopServerAsync();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => run);
        output.WriteLine($"the run failed with {failure.GetType().Name}: {failure.Message}");
        var beforeRetry = smtp.Received.Count;
        Assert.InRange(beforeRetry, 40, Subscribers - 1);
        await cluster.StartServerAsync();
        await AssertServesAgainAsync(client, "/");

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the interrupted run's claim expires
        var retry = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));

        Assert.Equal(0, retry.Failed);
        var byId = smtp.Received.GroupBy(m => m.MessageId).ToList();
        Assert.Equal(Subscribers, byId.Count);
        Assert.Equal(Subscribers, smtp.Received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        var duplicates = byId.Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        output.WriteLine($"{beforeRetry} sent before the restart, {retry.Sent} by the retry, {duplicates.Count} duplicates");
        // A message a connection had accepted while its stamp could not be written is sent again (at most one per connection), and logged as such.
        Assert.True(duplicates.Count <= Connections, $"duplicates: {string.Join(", ", duplicates)}");
        foreach (var id in duplicates.Select(d => d ?? ""))
            Assert.Contains(log.Lines(LogEventLevel.Warning), l => l.Contains("Possible duplicate", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        Assert.Equal(Subscribers, await ScalarAsync(catalog, "SELECT count(*) FROM \"DigestDeliveries\" WHERE \"SentAt\" IS NOT NULL"));
        Assert.Equal(Subscribers, await ScalarAsync(catalog, "SELECT count(*) FROM \"DigestDeliveries\""));
    }

    /// <summary>Weekly digests due now (real clock): papers in the ISO week just ended, every subscriber's day today.</summary>
    internal static async Task SeedDueWeeklyDigestsAsync(PaperFeedApp app, int subscribers)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var lastSunday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 1);
        var records = Enumerable.Range(1, 5).Select(i => new PaperRecord
        {
            ArxivId = $"2606.0{i:D4}", Title = $"Paper {i}", Abstract = "Abstract.", Authors = ["A. Author"], ListDay = lastSunday.AddDays(-i), Upvotes = i,
        }).ToList();
        var sourceId = await app.WithDbAsync(db => db.Sources.OrderBy(s => s.Id).Select(s => s.Id).FirstAsync());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(sourceId, records));
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < subscribers; i++)
                db.Subscriptions.Add(new Subscription
                {
                    Email = $"reader{i}@example.org", Status = SubscriptionStatus.Active, Frequency = DigestFrequency.Weekly,
                    WeeklyDay = today.DayOfWeek, SendHour = 0, CreatedAt = DateTime.UtcNow,
                });
            return await db.SaveChangesAsync();
        });
    }
}
