using System.Buffers;
using System.Diagnostics;
using System.Net;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.DataProtection;
using MimeKit;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Topics;
using SmtpServer;
using SmtpResponse = SmtpServer.Protocol.SmtpResponse;
using SmtpServer.Storage;

namespace PaperFeed.Bench;

/// <summary>10,000 digests composed and sent by the real job (SQLite, loopback SMTP sink), against MailKit's ceiling on one connection.</summary>
public static class DigestBench
{
    public static async Task Main(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
        var file = Path.Combine(Path.GetTempPath(), $"paperfeed-bench-{Guid.NewGuid():N}.db");
        var sink = new SmtpServer.ComponentModel.ServiceProvider();
        sink.Add(new CountingStore());
        _ = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, 52525))).Build(), sink).StartAsync(CancellationToken.None);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Catalog"] = $"Data Source={file}", ["Database:MigrateOnStartup"] = "true", ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = "52525", ["Smtp:Security"] = "None", ["Smtp:From"] = "bench@example.org", ["App:BaseUrl"] = "https://papers.example.org",
        });
        builder.AddCatalog(); builder.AddSources(); builder.AddTopics(); builder.AddEmail(); builder.AddDigests(); builder.AddDigestSending();
        builder.Services.AddDataProtection().SetApplicationName("PaperFeed").PersistKeysToDbContext<CatalogDbContext>();
        using var host = builder.Build();
        await host.Services.PrepareCatalogAsync(forceMigrate: true);

        // Papers in the ISO week just ended; weekly subscribers whose day is today: every digest is due now.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var sunday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7) - 1);
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            var source = db.Sources.Add(new Source { Name = "bench", Kind = SourceKind.Import, Url = "file:", Enabled = false }).Entity;
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<PaperIngestor>().IngestAsync(source.Id, [.. Enumerable.Range(1, 40).Select(i => new PaperRecord
            {
                ArxivId = $"2606.{i:D5}", Title = $"Paper {i} on agents", Abstract = "An abstract long enough to be summarised. " + new string('x', 400),
                Authors = ["Ada Lovelace", "Alan Turing", "Grace Hopper"], ListDay = sunday.AddDays(-(i % 7)), Upvotes = i, GithubRepo = "https://github.com/o/r",
            })]);
            db.Subscriptions.AddRange(Enumerable.Range(0, count).Select(i => new Subscription { Email = $"r{i}@example.org", Status = SubscriptionStatus.Active,
                Frequency = DigestFrequency.Weekly, WeeklyDay = today.DayOfWeek, SendHour = 0, MuteKeywords = i % 2 == 0 ? ["diffusion"] : [] }));
            await db.SaveChangesAsync();
        }

        var clock = Stopwatch.StartNew();
        using (var scope = host.Services.CreateScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<SendDigestsJob>();
            var (composed, _) = await job.ComposeAsync(null, CancellationToken.None);
            var composeTime = clock.Elapsed;
            var result = await job.RunOnceAsync(null, CancellationToken.None);
            var total = clock.Elapsed;
            Console.WriteLine($"job: {composed} composed in {composeTime.TotalSeconds:F1} s ({composed / composeTime.TotalSeconds:F0}/s), {result.Sent} sent in {(total - composeTime).TotalSeconds:F1} s ({result.Sent / (total - composeTime).TotalSeconds:F0}/s); end to end {result.Sent / total.TotalSeconds:F0} digests/s");

            // The transport's ceiling: identical pre-built messages over one MailKit connection.
            var sample = MimeMessage.CreateFromMailMessage(new System.Net.Mail.MailMessage("bench@example.org", "r0@example.org", "Same", new string('x', 6000)));
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", 52525, MailKit.Security.SecureSocketOptions.None);
            clock.Restart();
            for (var i = 0; i < count; i++) await client.SendAsync(sample);
            var ceiling = count / clock.Elapsed.TotalSeconds;
            await client.DisconnectAsync(true);
            Console.WriteLine($"MailKit, one connection, {count} identical messages: {ceiling:F0}/s; the job end to end reaches {100 * result.Sent / total.TotalSeconds / ceiling:F0}% of it");
        }
        File.Delete(file);
    }

    private sealed class CountingStore : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct) => Task.FromResult(SmtpResponse.Ok);
    }
}
