using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// The published site as its own process on PostgreSQL, under a bounded mixed load on loopback for a few minutes: readers browse
/// days, weeks, papers, topics and trending, search, and signed-in readers vote and unvote. Every answer must be a success,
/// the process must not grow in memory through the steady phase, and the vote counts must come out exact.
/// </summary>
[Collection(ReliabilityCollection.Name)]
[Trait(ReliabilityCollection.Category, ReliabilityCollection.Reliability)]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const int Days = 20;
    private const int PerDay = 150;
    private const int Voters = 6;
    private const int Browsers = 4;
    private static readonly DateOnly FirstDay = new(2026, 6, 1);
    private static readonly string[] Words = ["language", "models", "reasoning", "agents", "vision", "diffusion", "retrieval", "graph", "robot", "\"large language\"", "author:lovelace"];

    /// <summary>Seconds of steady load (after a warm-up); PAPERFEED_LOAD_SECONDS overrides the CI default.</summary>
    private static int SteadySeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("PAPERFEED_LOAD_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 60;

    [Fact]
    public async Task Mixed_browsing_voting_and_searching_gives_no_errors_no_memory_growth_and_exact_votes()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Catalog"] = database.ConnectionString,
            // No job server: the load is the readers'; scheduled jobs would make the memory curve the jobs'.
            ["Jobs:RunServer"] = "false",
            // Readers here vote fast on purpose; the limiter has tests of its own.
            ["RateLimits:VotePermitLimit"] = "1000000",
            ["RateLimits:AuthPermitLimit"] = "1000",
        };
        var file = WriteCatalog();
        await using (var import = AppProcess.Command(settings, "import", file))
            Assert.Equal(0, await import.WaitForExitAsync(TimeSpan.FromMinutes(5)));
        File.Delete(file);
        var emails = Enumerable.Range(0, Voters).Select(i => $"voter{i}@example.org").ToList();
        await using (var setup = new PaperFeedApp(database, ownsDatabase: false))
        {
            _ = setup.Server;
            foreach (var email in emails) await TestAccounts.CreateAsync(setup, email);
        }
        var paperIds = await WithDbAsync(database, db => db.Papers.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync());

        await using var site = await AppProcess.SiteAsync(settings);
        var errors = new ConcurrentQueue<string>();
        var requests = new ConcurrentDictionary<string, int>();
        // Each voter's last wish per paper: VoteService stores the wanted state, so the last one must be what the catalog holds.
        var wanted = new ConcurrentDictionary<(string Email, long PaperId), bool>();
        using var stop = new CancellationTokenSource();

        async Task<bool> RequestAsync(HttpClient client, string kind, Func<Task<HttpResponseMessage>> send)
        {
            try
            {
                using var response = await send();
                requests.AddOrUpdate(kind, 1, (_, n) => n + 1);
                await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                if ((int)response.StatusCode is >= 200 and < 400) return true;
                errors.Enqueue($"{kind}: HTTP {(int)response.StatusCode} {response.RequestMessage?.RequestUri?.PathAndQuery}");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                errors.Enqueue($"{kind}: {ex.GetType().Name} {ex.Message}");
            }
            return false;
        }

        async Task BrowseAsync(int seed)
        {
            var random = new Random(seed);
            using var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl!), Timeout = TimeSpan.FromSeconds(60) };
            while (!stop.IsCancellationRequested)
            {
                var day = FirstDay.AddDays(random.Next(Days));
                var path = random.Next(10) switch
                {
                    0 or 1 or 2 => $"/papers/date/{day:yyyy-MM-dd}?sort={(random.Next(2) == 0 ? "top" : "new")}",
                    3 => $"/papers/week/{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):D2}",
                    4 => $"/papers/{Id(random.Next(Days * PerDay))}",
                    5 => "/papers/trending",
                    6 => "/topics/large-language-models",
                    7 => $"/papers/date/{day:yyyy-MM-dd}?format=atom",
                    _ => $"/search?q={Uri.EscapeDataString(Words[random.Next(Words.Length)])}",
                };
                await RequestAsync(client, path.StartsWith("/search", StringComparison.Ordinal) ? "search" : "browse", () => client.GetAsync(path, stop.Token));
            }
        }

        async Task VoteAsync(string email, int seed)
        {
            var random = new Random(seed);
            using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(site.BaseUrl!), Timeout = TimeSpan.FromSeconds(60) };
            await TestAccounts.SignInAsync(client, email);
            var form = await client.FindFormAsync($"/papers/date/{FirstDay:yyyy-MM-dd}", "form.vote-form");
            var token = form.Fields[HtmlForm.TokenField];
            while (!stop.IsCancellationRequested)
            {
                // Few papers, so voters often contend for the same one.
                var paperId = paperIds[random.Next(40)];
                var up = random.Next(3) != 0;
                using var content = new FormUrlEncodedContent(new Dictionary<string, string> { [HtmlForm.TokenField] = token, ["up"] = up ? "true" : "false" });
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/vote/{paperId}") { Content = content };
                request.Headers.Accept.ParseAdd("application/json");
                // Never cancelled half-way: a vote the server applied after the client gave up would make the final check guess.
                if (await RequestAsync(client, "vote", () => client.SendAsync(request, CancellationToken.None))) wanted[(email, paperId)] = up;
                else break; // an error is already recorded, and its outcome is unknown
                // Between two votes the reader looks at a page, as a person would.
                await RequestAsync(client, "browse", () => client.GetAsync($"/papers/date/{FirstDay.AddDays(random.Next(Days)):yyyy-MM-dd}", stop.Token));
            }
        }

        var workers = Enumerable.Range(0, Browsers).Select(i => Task.Run(() => BrowseAsync(i)))
            .Concat(emails.Select((e, i) => Task.Run(() => VoteAsync(e, 100 + i)))).ToList();

        // Warm-up: JIT, pools, caches. Then the steady phase, sampled every 5 s.
        await Task.Delay(TimeSpan.FromSeconds(20));
        var samples = new List<long>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(SteadySeconds) && errors.IsEmpty)
        {
            samples.Add(site.WorkingSet());
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        samples.Add(site.WorkingSet());
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var total = requests.Values.Sum();
        output.WriteLine($"{total} requests in {clock.Elapsed.TotalSeconds:0} s steady + 20 s warm-up ({string.Join(", ", requests.Select(r => $"{r.Key} {r.Value}"))}), {errors.Count} errors");
        output.WriteLine("working set (MB) every 5 s: " + string.Join(" ", samples.Select(s => (s / 1_048_576).ToString(CultureInfo.InvariantCulture))));
        Assert.True(errors.IsEmpty, "errors: " + string.Join("\n", errors.Take(20)));
        Assert.True(requests.GetValueOrDefault("vote") > 100 && requests.GetValueOrDefault("search") > 50, "the load was too thin to mean anything");

        // Memory: the mean of the last three samples against the first three, with a generous bound (GC heaps settle late).
        var start = samples.Take(3).Average();
        var end = samples.TakeLast(3).Average();
        Assert.True(end <= start * 1.5 + 64 * 1_048_576, $"working set grew from {start / 1_048_576:0} MB to {end / 1_048_576:0} MB during the steady phase");

        // Votes exact: the catalog holds each voter's last wish, and every paper's count is its number of votes.
        var expected = wanted.Where(w => w.Value).Select(w => (w.Key.Email, w.Key.PaperId)).OrderBy(v => v).ToList();
        var stored = (await WithDbAsync(database, db => db.Votes.Select(v => new { v.User.Email, v.PaperId }).ToListAsync()))
            .Select(v => (v.Email!, v.PaperId)).OrderBy(v => v).ToList();
        Assert.Equal(expected, stored);
        var miscounted = await WithDbAsync(database, db => db.Papers.CountAsync(p => p.VoteCount != db.Votes.Count(v => v.PaperId == p.Id)));
        Assert.Equal(0, miscounted);
    }

    private static string Id(int i) => $"2606.{i:D5}";

    private static string WriteCatalog()
    {
        var random = new Random(7);
        var topics = new[] { "large language models", "reasoning", "agents", "vision transformers", "diffusion", "retrieval", "graph neural networks", "robot learning" };
        var items = Enumerable.Range(0, Days * PerDay).Select(i =>
        {
            var day = FirstDay.AddDays(i / PerDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00.000Z";
            var topic = topics[random.Next(topics.Length)];
            return new
            {
                paper = new
                {
                    id = Id(i), title = $"On {topic}: study {i}", summary = $"We study {topic} and {topics[random.Next(topics.Length)]} with many experiments, paper {i}.",
                    authors = new[] { new { name = i % 10 == 0 ? "Ada Lovelace" : $"Author {i % 300}" }, new { name = $"Coauthor {i % 77}" } },
                    publishedAt = day, submittedOnDailyAt = day, upvotes = random.Next(100),
                },
            };
        });
        var file = Path.Combine(Path.GetTempPath(), $"paperfeed-load-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(items));
        return file;
    }

    private static async Task<T> WithDbAsync<T>(TestDatabase database, Func<CatalogDbContext, Task<T>> work)
    {
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseNpgsql(database.ConnectionString).Options;
        await using var db = new CatalogDbContext(options);
        return await work(db);
    }
}
