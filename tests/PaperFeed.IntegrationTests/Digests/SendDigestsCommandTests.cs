using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Digests;

/// <summary>send-digests and digests status as real processes; one is killed in the middle of a batch.</summary>
public sealed class SendDigestsCommandTests
{
    private const int Subscribers = 200;

    private static ProcessStartInfo Command(TestDatabase database, SmtpSink smtp, int connections, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperFeed.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Database__Provider"] = database.Provider.ToString();
        start.Environment["Database__MigrateOnStartup"] = "true";
        start.Environment["ConnectionStrings__Catalog"] = database.ConnectionString;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in smtp.SettingsForApp()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        // A killed run's claim expires quickly, so the restart below can retry at once.
        start.Environment["Digests__Sending__ClaimSeconds"] = "1";
        start.Environment["Digests__Sending__Connections"] = connections.ToString(CultureInfo.InvariantCulture);
        return start;
    }

    private static async Task<(int ExitCode, string Out)> RunToEndAsync(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }

    /// <summary>A catalog where every subscriber's weekly digest is due now (real clock): papers in the ISO week just ended.</summary>
    private static async Task SeedAsync(TestDatabase database)
    {
        await using var app = new PaperFeedApp(database, ownsDatabase: false);
        _ = app.Server;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var lastSunday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 1);
        var records = Enumerable.Range(1, 5).Select(i => new PaperRecord
        {
            ArxivId = $"2606.0{i:D4}", Title = $"Paper {i}", Abstract = "Abstract.", Authors = ["A. Author"], ListDay = lastSunday.AddDays(-i), Upvotes = i,
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < Subscribers; i++)
                db.Subscriptions.Add(new Subscription
                {
                    Email = $"reader{i}@example.org", Status = SubscriptionStatus.Active, Frequency = DigestFrequency.Weekly,
                    WeeklyDay = today.DayOfWeek, SendHour = 0, CreatedAt = DateTime.UtcNow,
                });
            return await db.SaveChangesAsync();
        });
    }

    [Theory]
    // Each provider and each connection count once: the kill-and-resume path is the same code on both providers,
    // and the 2×2 product cost ~1 min of CI for no behaviour of its own.
    [InlineData(DatabaseProvider.Sqlite, 1)]
    [InlineData(DatabaseProvider.Postgres, 4)]
    public async Task A_run_killed_mid_batch_and_run_again_sends_each_digest_once_but_one_possible_duplicate_per_connection(DatabaseProvider provider,
        int connections)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(provider);
        await using var smtp = SmtpSink.Start();
        smtp.Delay = TimeSpan.FromMilliseconds(20);
        await SeedAsync(database);
        // Before any run every subscriber is due: the status counts what the job itself would compose.
        var (dueCode, due) = await RunToEndAsync(Command(database, smtp, connections, "digests", "status"));
        Assert.Equal(0, dueCode);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"due now (not composed yet): {Subscribers}"), due, StringComparison.Ordinal);

        using (var first = Process.Start(Command(database, smtp, connections, "send-digests"))!)
        {
            _ = first.StandardOutput.ReadToEndAsync();
            _ = first.StandardError.ReadToEndAsync();
            var waited = Stopwatch.StartNew();
            while (smtp.Received.Count < 60 && !first.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(5);
            Assert.False(first.HasExited, "the first run finished before it could be killed");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        var afterKill = smtp.Received.Count;
        Assert.InRange(afterKill, 60, Subscribers - 1);

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the killed run's claim expires
        var (exitCode, output) = await RunToEndAsync(Command(database, smtp, connections, "send-digests"));

        Assert.True(exitCode == 0, output);
        var byId = smtp.Received.GroupBy(m => m.MessageId).ToList();
        Assert.Equal(Subscribers, byId.Count);
        Assert.Equal(Subscribers, smtp.Received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        var duplicates = byId.Where(g => g.Count() > 1).Select(g => g.Key ?? "").ToList();
        // At most the message each open connection had in flight when the process died, each resent with its Message-ID and logged.
        Assert.True(duplicates.Count <= connections, $"{duplicates.Count} duplicates with {connections} connections: {string.Join(", ", duplicates)}");
        foreach (var id in duplicates)
            Assert.Contains(output.Split('\n'), l => l.Contains("Possible duplicate", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        Assert.Matches(@"^sent \d+ digests: 0 composed, \d+ sent, 0 failed$", output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());

        await using (var app = new PaperFeedApp(database, ownsDatabase: false))
            Assert.Equal(Subscribers, await app.WithDbAsync(db => db.DigestDeliveries.CountAsync(d => d.SentAt != null)));

        var (statusCode, status) = await RunToEndAsync(Command(database, smtp, connections, "digests", "status"));
        Assert.Equal(0, statusCode);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"active subscriptions: {Subscribers}"), status, StringComparison.Ordinal);
        Assert.Contains("due now (not composed yet): 0", status, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"sent today (UTC): {Subscribers}"), status, StringComparison.Ordinal);
    }
}
