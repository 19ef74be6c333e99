using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;
using PaperFeed;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Topics;
using SmtpServer;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpServer.Storage;

namespace PaperFeed.Bench;

/// <summary>
/// N digests composed and sent by the real job to a loopback SMTP sink (SmtpServer package, in process), then, in the same
/// run, N identical pre-built messages over one MailKit connection to the same sink: the transport's ceiling.
/// Usage: PaperFeed.Bench [count=10000] [sqlite|postgres] [ranked] (postgres: a throwaway database on PAPERFEED_TEST_PG; ranked: every
/// subscriber has an account with 5 upvotes, so every digest is ranked for its reader and carries 👍 / 👎 links).
/// </summary>
public static class DigestBench
{
    public static async Task Main(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var postgres = args.Length > 1 && args[1].Equals("postgres", StringComparison.OrdinalIgnoreCase);
        var ranked = args.Length > 2 && args[2].Equals("ranked", StringComparison.OrdinalIgnoreCase);
        var port = FreePort();
        var sink = new SmtpServer.ComponentModel.ServiceProvider();
        var store = new CountingStore();
        sink.Add(store);
        sink.Add(new PaperFeed.IntegrationTests.Infrastructure.SmtpNoDelayListenerFactory());
        using var stopSink = new CancellationTokenSource();
        var sinkRunning = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(), sink).StartAsync(stopSink.Token);

        var (connectionString, drop) = postgres ? await CreatePostgresAsync() : CreateSqlite();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = postgres ? "Postgres" : "Sqlite", ["ConnectionStrings:Catalog"] = connectionString,
                ["Database:MigrateOnStartup"] = "true", ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
                ["Smtp:Security"] = "None", ["Smtp:From"] = "bench@example.org", ["App:BaseUrl"] = "https://papers.example.org",
            });
            // The services `send-digests` runs on (the same AddPaperFeedCore as the site).
            builder.AddPaperFeedCore();
            using var host = builder.Build();
            await host.Services.PrepareCatalogAsync(forceMigrate: true);
            await SeedAsync(host.Services, count, ranked);
            var seedPeak = PeakResidentMegabytes();
            // The job's own peak, apart from seeding's: collect, then restart the kernel's high-water mark (VmHWM).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var reset = ResetPeakResident();

            Console.WriteLine($"{count} {(ranked ? "ranked " : "")}subscribers, {(postgres ? "PostgreSQL" : "SQLite")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            var clock = Stopwatch.StartNew();
            using (var scope = host.Services.CreateScope())
            {
                var job = scope.ServiceProvider.GetRequiredService<SendDigestsJob>();
                var (composed, _) = await job.ComposeAsync(null, CancellationToken.None);
                var composeTime = clock.Elapsed;
                clock.Stop();
                var composePeak = PeakResidentMegabytes();
                var composeHeap = GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024);
                ResetPeakResident();
                var sample = await FirstDigestAsync(scope.ServiceProvider); // read before sending drops the stored messages
                clock.Start();
                var result = await job.RunOnceAsync(null, CancellationToken.None);
                var total = clock.Elapsed;
                var sendTime = total - composeTime;
                var jobPeak = PeakResidentMegabytes();
                var sendHeap = GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024);
                var small = await CeilingAsync(port, count, SmallMessage());
                var ceiling = await CeilingAsync(port, count, sample);
                var render = await RenderAloneAsync(scope.ServiceProvider, Math.Min(count, 2000));
                Console.WriteLine($"compose: {composed} digests in {composeTime.TotalSeconds:F1} s = {composed / composeTime.TotalSeconds:F0}/s");
                Console.WriteLine($"send:    {result.Sent} digests in {sendTime.TotalSeconds:F1} s = {result.Sent / sendTime.TotalSeconds:F0}/s ({100 * result.Sent / sendTime.TotalSeconds / ceiling:F0}% of the ceiling)");
                Console.WriteLine($"job end to end: {result.Sent / total.TotalSeconds:F0} digests/s ({100 * result.Sent / total.TotalSeconds / ceiling:F0}% of the ceiling)");
                Console.WriteLine($"of which rendering alone (Razor component + text, no database): {render:F0} digests/s");
                Console.WriteLine($"ceiling: {count} copies of one of these digests ({DigestSize} bytes, {SampleLinks} signed links), pre-built, over one MailKit connection = {ceiling:F0}/s");
                Console.WriteLine($"  (the 6 KB plain message used before as the ceiling: {small:F0}/s; job end to end against it: {100 * result.Sent / total.TotalSeconds / small:F0}%)");
                Console.WriteLine(reset
                    ? $"peak resident set: seeding {seedPeak} MB; composing {composePeak} MB, sending {jobPeak} MB (high-water mark restarted after seeding and after composing; GC committed after each: {composeHeap} MB, {sendHeap} MB)"
                    : $"peak resident set: seeding {seedPeak} MB; after the job {jobPeak} MB (could not restart the high-water mark)");
                Console.WriteLine($"sink received {store.Count} messages ({result.Sent} from the job, {2 * count} for the two ceilings)");
            }
        }
        finally
        {
            await drop();
            await stopSink.CancelAsync();
            try { await sinkRunning; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Papers in the ISO week just ended; weekly subscribers whose day is today: every digest is due now.</summary>
    private static async Task SeedAsync(IServiceProvider services, int count, bool ranked)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sunday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 1);
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var source = db.Sources.Add(new Source { Name = "bench", Kind = SourceKind.Import, Url = "file:", Enabled = false }).Entity;
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<PaperIngestor>().IngestAsync(source.Id, [.. Enumerable.Range(1, 40).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{i:D5}", Title = $"Paper {i} on agents", Abstract = "An abstract long enough to be summarised. " + new string('x', 400),
            Authors = ["Ada Lovelace", "Alan Turing", "Grace Hopper"], ListDay = sunday.AddDays(-(i % 7)), Upvotes = i, GithubRepo = "https://github.com/o/r",
        })]);
        db.Subscriptions.AddRange(Enumerable.Range(0, count).Select(i => new Subscription { Email = $"r{i}@example.org", Status = SubscriptionStatus.Active,
            Frequency = DigestFrequency.Weekly, WeeklyDay = today.DayOfWeek, SendHour = 0, MuteKeywords = i % 2 == 0 ? ["diffusion"] : [],
            UserId = ranked ? $"u{i}" : null }));
        if (ranked)
        {
            var papers = await db.Papers.OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
            db.Users.AddRange(Enumerable.Range(0, count).Select(i => new Accounts.User { Id = $"u{i}", UserName = $"r{i}@example.org", Email = $"r{i}@example.org" }));
            db.Votes.AddRange(Enumerable.Range(0, count).SelectMany(i => Enumerable.Range(0, 5).Select(k => new Votes.Vote
            {
                UserId = $"u{i}", PaperId = papers[(i + 7 * k) % papers.Count], CreatedAt = DateTime.UtcNow,
            })));
        }
        await db.SaveChangesAsync();
    }

    private static long DigestSize;
    private static int SampleLinks;

    /// <summary>The plain ~6 KB message the first version of this bench used as the ceiling (kept for comparison).</summary>
    private static MimeMessage SmallMessage() =>
        MimeMessage.CreateFromMailMessage(new System.Net.Mail.MailMessage("bench@example.org", "r0@example.org", "Same", new string('x', 6000)));

    /// <summary>One of the digests the job is about to send, exactly as the sender sends it (the stored message, parsed).</summary>
    private static async Task<MimeMessage> FirstDigestAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var mime = await db.DigestDeliveries.AsNoTracking().OrderBy(x => x.Id).Select(x => x.Mime).FirstAsync()
            ?? throw new InvalidOperationException("The first digest has no stored message");
        DigestSize = mime.Length;
        SampleLinks = System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.ASCII.GetString(mime), "token=").Count;
        return DigestMessages.Load(mime);
    }

    /// <summary>The transport's ceiling: one message, pre-built, sent count times over one connection (Nagle off, as the app's transport).</summary>
    private static async Task<double> CeilingAsync(int port, int count, MimeMessage sample)
    {
        using var client = new SmtpClient();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await client.ConnectAsync(socket, "127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await client.SendAsync(sample);
        var ceiling = count / clock.Elapsed.TotalSeconds;
        await client.DisconnectAsync(true);
        return ceiling;
    }

    /// <summary>The composer alone on one subscriber's ten papers: how much of composing is rendering.</summary>
    private static async Task<double> RenderAloneAsync(IServiceProvider services, int count)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var composer = services.GetRequiredService<DigestComposer>();
        var subscription = await db.Subscriptions.AsNoTracking().OrderBy(s => s.Id).FirstAsync();
        var period = DigestPeriod.For(subscription, DateTimeOffset.UtcNow)!;
        var items = (await DigestSelection.SelectAsync(db, new Subscription { Email = "x@example.org" }, period, CancellationToken.None))
            .Select(c => c.ToItem("https://papers.example.org")).ToList();
        var links = new DigestEmailLinks("https://papers.example.org", "https://papers.example.org/p", "https://papers.example.org/u");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await composer.ComposeAsync(subscription, period, items, links);
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux), in MB.</summary>
    private static long PeakResidentMegabytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / (1024 * 1024);
    }

    /// <summary>Restarts the peak resident set at the current one (Linux ≥ 4.0: "5" to /proc/self/clear_refs).</summary>
    private static bool ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static (string, Func<Task>) CreateSqlite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"paperfeed-bench-{Guid.NewGuid():N}.db");
        return ($"Data Source={file}", () =>
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
            return Task.CompletedTask;
        });
    }

    private static async Task<(string, Func<Task>)> CreatePostgresAsync()
    {
        var server = Environment.GetEnvironmentVariable("PAPERFEED_TEST_PG")
            ?? throw new InvalidOperationException("Set PAPERFEED_TEST_PG to a PostgreSQL server (the bench creates and drops its own database).");
        var name = $"pf_bench_{Guid.NewGuid():N}";
        await Execute(server, $"CREATE DATABASE \"{name}\"");
        return (new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        });
    }

    private static async Task Execute(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class CountingStore : MessageStore
    {
        private int _count;
        public int Count => _count;

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
