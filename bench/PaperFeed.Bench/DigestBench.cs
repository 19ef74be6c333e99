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
            // Warm-up (DIGEST_BENCH_WARMUP=N): a first job over N other subscribers, not measured, so the measured job runs
            // JIT-compiled code as the ceiling loop (run after it) does, and as a long-running app's second run would.
            var warmup = int.TryParse(Environment.GetEnvironmentVariable("DIGEST_BENCH_WARMUP"), CultureInfo.InvariantCulture, out var w) ? w : 0;
            await SeedAsync(host.Services, count + warmup, ranked);
            if (warmup > 0) await WarmUpAsync(host.Services, warmup);
            var seedPeak = PeakResidentMegabytes();
            // The job's own peak, apart from seeding's: collect, then restart the kernel's high-water mark (VmHWM).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var reset = ResetPeakResident();

            Console.WriteLine($"{count} {(ranked ? "ranked " : "")}subscribers{(warmup > 0 ? $" (after a warm-up job of {warmup})" : "")}, {(postgres ? "PostgreSQL" : "SQLite")}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            var server = postgres ? await PostgresServerAsync(connectionString) : 0;
            var cpu0 = Cpu(server);
            var clock = Stopwatch.StartNew();
            using (var scope = host.Services.CreateScope())
            {
                var job = scope.ServiceProvider.GetRequiredService<SendDigestsJob>();
                var (composed, _) = await job.ComposeAsync(null, CancellationToken.None);
                var composeTime = clock.Elapsed;
                clock.Stop();
                var cpu1 = Cpu(server);
                var composePeak = PeakResidentMegabytes();
                var composeHeap = GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024);
                ResetPeakResident();
                var sample = await FirstDigestAsync(scope.ServiceProvider); // read before sending drops the stored messages
                var cpu2 = Cpu(server);
                clock.Start();
                var result = await job.RunOnceAsync(null, CancellationToken.None);
                var total = clock.Elapsed;
                var sendTime = total - composeTime;
                var cpu3 = Cpu(server);
                var jobPeak = PeakResidentMegabytes();
                var sendHeap = GC.GetGCMemoryInfo().TotalCommittedBytes / (1024 * 1024);
                var small = await CeilingAsync(port, count, SmallMessage());
                var cpu4 = Cpu(server);
                var ceiling = await CeilingAsync(port, count, sample);
                var cpu5 = Cpu(server);
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
                // CPU time per digest (this process: job + in-process sink; and the PostgreSQL server's processes): independent of the load.
                string PerDigest((double Self, double Server) a, (double Self, double Server) b, int n) =>
                    $"{1000 * (b.Self - a.Self) / n:F3} ms (+ server {1000 * (b.Server - a.Server) / n:F3} ms)";
                Console.WriteLine($"CPU per digest: compose {PerDigest(cpu0, cpu1, composed)}, send {PerDigest(cpu2, cpu3, result.Sent)}; ceiling {PerDigest(cpu4, cpu5, count)}");
                var jobCpu = (cpu3.Self - cpu2.Self + cpu1.Self - cpu0.Self + cpu3.Server - cpu2.Server + cpu1.Server - cpu0.Server) / result.Sent;
                var sendCpu = (cpu3.Self - cpu2.Self + cpu3.Server - cpu2.Server) / result.Sent;
                var ceilingCpu = (cpu5.Self - cpu4.Self + cpu5.Server - cpu4.Server) / count;
                Console.WriteLine($"CPU ratio (ceiling CPU per message / job CPU per digest): end to end {100 * ceilingCpu / jobCpu:F0}%, send alone {100 * ceilingCpu / sendCpu:F0}%");
                Console.WriteLine($"sink received {store.Count} messages ({result.Sent} from the job, {2 * count} for the two ceilings{(warmup > 0 ? ", the rest from the warm-up" : "")})");
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

    /// <summary>Composes and sends the digests of the first <paramref name="warmup"/> subscribers (the others paused meanwhile).</summary>
    private static async Task WarmUpAsync(IServiceProvider services, int warmup)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var first = await db.Subscriptions.OrderBy(s => s.Id).Select(s => s.Id).Skip(warmup).FirstAsync();
        await db.Subscriptions.Where(s => s.Id >= first).ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Paused));
        var result = await scope.ServiceProvider.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None);
        await db.Subscriptions.Where(s => s.Id >= first).ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Active));
        Console.WriteLine($"warm-up: {result.Sent} digests composed and sent (not measured)");
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
        var mime = await db.DigestDeliveries.AsNoTracking().Where(x => x.Mime != null).OrderBy(x => x.Id).Select(x => x.Mime).FirstAsync()
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

    /// <summary>CPU seconds so far of this process and (PostgreSQL) of the server: the postmaster, its live children and its reaped ones.</summary>
    private static (double Self, double Server) Cpu(int postmaster)
    {
        // DIGEST_BENCH_PHASES=1: the monotonic clock at each phase boundary, to cut a `perf record -k CLOCK_MONOTONIC` profile by phase.
        if (Environment.GetEnvironmentVariable("DIGEST_BENCH_PHASES") == "1")
            Console.WriteLine($"phase boundary at {Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:F6} s");
        using var self = Process.GetCurrentProcess();
        var server = 0.0;
        if (postmaster > 0)
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                var f = Stat(pid);
                if (f is null) continue;
                // Fields after the command: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime (clock ticks).
                if (pid == postmaster) server += double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture) + double.Parse(f[13], CultureInfo.InvariantCulture) + double.Parse(f[14], CultureInfo.InvariantCulture);
                else if (f[1] == postmaster.ToString(CultureInfo.InvariantCulture)) server += double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture);
            }
        return (self.TotalProcessorTime.TotalSeconds, server / 100);
    }

    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The postmaster's pid: the parent of this connection's backend (the server runs on this machine).</summary>
    private static async Task<int> PostgresServerAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return Stat(backend) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : 0;
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
