using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// Two real processes of the site on one PostgreSQL, each with its Hangfire server (Hangfire.PostgreSql storage) and
/// schedules every 15 seconds: each occurrence of a recurring job runs once, every due digest reaches the SMTP server once,
/// and readers voting through both instances at once leave exact counts.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait(ReliabilityCollection.Category, ReliabilityCollection.Waiting)]
public sealed class TwoInstancesTests(ITestOutputHelper output)
{
    private const int Subscribers = 60;
    private const string Every15Seconds = "*/15 * * * * *";

    [Fact]
    public async Task Each_recurring_job_runs_once_per_occurrence_no_digest_is_sent_twice_and_votes_stay_exact()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var smtp = SmtpSink.Start();
        var emails = Enumerable.Range(0, 4).Select(i => $"voter{i}@example.org").ToList();
        await using (var setup = new PaperFeedApp(database, ownsDatabase: false))
        {
            _ = setup.Server;
            await DatabaseRestartTests.SeedDueWeeklyDigestsAsync(setup, Subscribers);
            foreach (var email in emails) await TestAccounts.CreateAsync(setup, email);
        }
        var settings = new Dictionary<string, string>(smtp.SettingsForApp())
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Catalog"] = database.ConnectionString,
            ["Jobs:RunServer"] = "true",
            ["Jobs:FetchSourcesCron"] = Every15Seconds,
            ["Jobs:TrendingCron"] = Every15Seconds,
            ["Digests:Sending:Cron"] = Every15Seconds,
            ["Embeddings:Cron"] = Every15Seconds,
            ["RateLimits:VotePermitLimit"] = "1000000",
            ["RateLimits:AuthPermitLimit"] = "1000",
            // The seeded sources must not reach the internet: every address is refused on loopback.
            ["Sources:ArxivApiUrl"] = "http://127.0.0.1:9/api/query",
        };
        for (var i = 0; i < 5; i++) settings[$"Sources:Seed:{i}:Url"] = $"http://127.0.0.1:9/seed-{i}/{{date}}";
        // From before the first instance starts: it schedules as soon as it is up, so occurrences while the second one
        // starts count too (on a loaded machine that start took long enough for one occurrence more than the bound).
        var clock = Stopwatch.StartNew();
        await using var first = await AppProcess.SiteAsync(settings);
        await using var second = await AppProcess.SiteAsync(settings);

        // Readers vote through both instances at once, on the same few papers.
        var paperIds = await WithDbAsync(database, db => db.Papers.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());
        var wanted = new System.Collections.Concurrent.ConcurrentDictionary<(string, long), bool>();
        var voting = emails.Select((email, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            var clients = new List<HttpClient>();
            foreach (var site in new[] { first, second })
            {
                var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl!) };
                await TestAccounts.SignInAsync(client, email);
                clients.Add(client);
            }
            var tokens = new List<string>();
            foreach (var client in clients)
                tokens.Add((await client.FindFormAsync("/papers/2606.00001", "form.vote-form")).Fields[HtmlForm.TokenField]);
            for (var n = 0; n < 60; n++)
            {
                var which = random.Next(2);
                var paperId = paperIds[random.Next(paperIds.Count)];
                var up = random.Next(3) != 0;
                using var content = new FormUrlEncodedContent(new Dictionary<string, string> { [HtmlForm.TokenField] = tokens[which], ["up"] = up ? "true" : "false" });
                using var response = await clients[which].PostAsync($"/vote/{paperId}", content);
                Assert.True((int)response.StatusCode is >= 200 and < 400, $"vote through instance {which}: HTTP {(int)response.StatusCode}");
                wanted[(email, paperId)] = up;
            }
            foreach (var client in clients) client.Dispose();
        })).ToList();
        await Task.WhenAll(voting);

        // Let the schedules fire several times on both instances.
        while (clock.Elapsed < TimeSpan.FromSeconds(75)) await Task.Delay(1000);
        var runs = await RecurringRunsAsync(database);
        var possible = (int)(clock.Elapsed.TotalSeconds / 15) + 2;
        await first.KillAsync();
        await second.KillAsync();

        foreach (var (job, occurrences) in runs)
            output.WriteLine($"{job}: {occurrences.Count} occurrences, {occurrences.Sum(o => o.Jobs)} jobs");
        var duplicated = runs.SelectMany(r => r.Value.Where(o => o.Jobs > 1).Select(o => $"{r.Key} at {o.Time}")).ToList();
        Assert.True(duplicated.Count == 0, "occurrences run more than once: " + string.Join(", ", duplicated));
        // And no second job hides behind a different occurrence time: no more jobs than the schedule has occurrences.
        Assert.All(runs, r => Assert.InRange(r.Value.Sum(o => o.Jobs), 0, possible));
        Assert.True(runs.GetValueOrDefault("send-digests")?.Count >= 2, "send-digests did not fire at least twice: the test proves nothing");
        Assert.True(runs.GetValueOrDefault("fetch-sources")?.Count >= 2, "fetch-sources did not fire at least twice");
        Assert.True(runs.GetValueOrDefault("embed-papers")?.Count >= 2, "embed-papers did not fire at least twice");
        // The job embedded every paper once, whichever instance ran it.
        Assert.Equal(await WithDbAsync(database, db => db.Papers.CountAsync()), await WithDbAsync(database, db => db.PaperEmbeddings.CountAsync()));

        var byId = smtp.Received.GroupBy(m => m.MessageId).ToList();
        output.WriteLine($"{smtp.Received.Count} messages received, {byId.Count} distinct");
        Assert.Equal(Subscribers, smtp.Received.Count);
        Assert.Equal(Subscribers, byId.Count);
        Assert.Equal(Subscribers, smtp.Received.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());

        var expected = wanted.Where(w => w.Value).Select(w => w.Key).OrderBy(v => v).ToList();
        var stored = (await WithDbAsync(database, db => db.Votes.Select(v => new { v.User.Email, v.PaperId }).ToListAsync()))
            .Select(v => (v.Email!, v.PaperId)).OrderBy(v => v).ToList();
        Assert.Equal(expected, stored);
        Assert.Equal(0, await WithDbAsync(database, db => db.Papers.CountAsync(p => p.VoteCount != db.Votes.Count(v => v.PaperId == p.Id))));
    }

    /// <summary>Hangfire's own record: per recurring job, each occurrence (its "Time" parameter) and how many jobs it created.</summary>
    private static async Task<Dictionary<string, List<(string Time, int Jobs)>>> RecurringRunsAsync(TestDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT r.value, t.value, count(*)
            FROM hangfire.jobparameter r JOIN hangfire.jobparameter t ON t.jobid = r.jobid AND t.name = 'Time'
            WHERE r.name = 'RecurringJobId'
            GROUP BY r.value, t.value
            """, connection);
        var runs = new Dictionary<string, List<(string, int)>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var job = reader.GetString(0).Trim('"');
            if (!runs.TryGetValue(job, out var list)) runs[job] = list = [];
            list.Add((reader.GetString(1), (int)reader.GetInt64(2)));
        }
        return runs;
    }

    private static async Task<T> WithDbAsync<T>(TestDatabase database, Func<CatalogDbContext, Task<T>> work)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseNpgsql(database.ConnectionString).Options;
        await using var db = new CatalogDbContext(options);
        return await work(db);
    }
}
