using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Email;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Digests;

/// <summary>The send-digests job against a real SMTP server on loopback, on both providers.</summary>
public sealed class DigestSendingTests
{
    private static readonly DateOnly Thursday = new(2026, 6, 11);
    private static readonly DateOnly Friday = new(2026, 6, 12);
    // Friday 08:00 UTC: daily digests (send hour 7) are due, for Thursday's listings.
    private static readonly DateTimeOffset FridayMorning = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayMorning = new(2026, 6, 15, 8, 0, 0, TimeSpan.Zero);

    private sealed class Harness(PaperFeedApp app, SmtpSink smtp, FixedTimeProvider time) : IAsyncDisposable
    {
        public PaperFeedApp App { get; } = app;
        public SmtpSink Smtp { get; } = smtp;
        public FixedTimeProvider Time { get; } = time;

        public Task<DigestRunResult> RunAsync() =>
            App.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));

        public Task<(int Composed, int Empty)> ComposeAsync() =>
            App.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().ComposeAsync(null, CancellationToken.None));

        public Task IngestAsync(params PaperRecord[] records) =>
            App.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));

        public Task<List<Subscription>> SubscribeAsync(params Subscription[] subscriptions) => App.WithDbAsync(async db =>
        {
            foreach (var s in subscriptions) { s.Status = SubscriptionStatus.Active; s.CreatedAt = FridayMorning.UtcDateTime; }
            db.Subscriptions.AddRange(subscriptions);
            await db.SaveChangesAsync();
            return subscriptions.ToList();
        });

        public Task<List<DigestDelivery>> DeliveriesAsync() => App.WithDbAsync(db => db.DigestDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync());

        public Task<Subscription> SubscriptionAsync(string email) => App.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Email == email));

        public List<MimeMessage> To(string email) => Smtp.Received.Where(m => m.To.Mailboxes.Any(a => a.Address == email)).ToList();

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }

    private static async Task<Harness> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? extra = null,
        Action<IServiceCollection>? services = null)
    {
        var smtp = SmtpSink.Start();
        var time = new FixedTimeProvider(FridayMorning);
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        var app = await PaperFeedApp.StartAsync(provider, settings, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            services?.Invoke(s);
        });
        return new Harness(app, smtp, time);
    }

    private static PaperRecord Paper(string id, string title, DateOnly day, int upvotes, string @abstract = "We study things.") => new()
    {
        ArxivId = id, Title = title, Abstract = @abstract, Authors = ["Ada Lovelace", "Alan Turing"], ListDay = day, Upvotes = upvotes,
        GithubRepo = $"https://github.com/example/{id}",
    };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_due_subscriber_gets_one_digest_once_and_never_a_paper_twice(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider);
        await h.IngestAsync(Paper("2606.01001", "Scaling Laws for Agents", Thursday, 30), Paper("2606.01002", "Small Models Reason", Thursday, 20),
            Paper("2606.01003", "A Third Paper", Thursday, 10), Paper("2606.01009", "Listed Friday", Friday, 99));
        await h.SubscribeAsync(new Subscription { Email = "html@example.org", MaxPapers = 2 }, new Subscription { Email = "text@example.org", Format = DigestFormat.Text });

        var first = await h.RunAsync();

        Assert.Equal((2, 2, 0), (first.Composed, first.Sent, first.Failed));
        var html = Assert.Single(h.To("html@example.org"));
        var rows = await h.DeliveriesAsync();
        var row = rows.Single(r => r.MessageId == html.MessageId);
        Assert.Equal(("2026-06-11", true), (row.Period, row.SentAt is not null));
        Assert.StartsWith("digest-", html.MessageId, StringComparison.Ordinal);
        Assert.EndsWith("@papers.example.org", html.MessageId, StringComparison.Ordinal);
        Assert.StartsWith("<https://papers.example.org/digest/unsubscribe/one-click?token=", html.Headers["List-Unsubscribe"], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", html.Headers["List-Unsubscribe-Post"]);
        Assert.NotNull(html.HtmlBody);
        Assert.NotNull(html.TextBody);
        foreach (var body in new[] { html.HtmlBody, html.TextBody })
        {
            Assert.Contains("https://papers.example.org/papers/2606.01001", body, StringComparison.Ordinal);
            Assert.Contains("https://papers.example.org/digest/unsubscribe/one-click?token=", body, StringComparison.Ordinal);
            Assert.Contains("https://papers.example.org/digest/preferences?token=", body, StringComparison.Ordinal);
            Assert.DoesNotContain("A Third Paper", body, StringComparison.Ordinal); // MaxPapers = 2, ranked by upvotes
            Assert.DoesNotContain("Listed Friday", body, StringComparison.Ordinal); // not in the period
        }
        Assert.True(html.TextBody.IndexOf("Scaling Laws", StringComparison.Ordinal) < html.TextBody.IndexOf("Small Models", StringComparison.Ordinal));
        var text = Assert.Single(h.To("text@example.org"));
        Assert.Null(text.HtmlBody);
        Assert.Contains("A Third Paper", text.TextBody, StringComparison.Ordinal);

        // Run again: nothing new to send.
        var second = await h.RunAsync();
        Assert.Equal((0, 0), (second.Composed, second.Sent));
        Assert.Equal(2, h.Smtp.Received.Count);

        // Monday: Friday's new paper, plus an old paper listed again, which html@ already had.
        await h.IngestAsync(Paper("2606.01001", "Scaling Laws for Agents", Friday, 31));
        h.Time.Now = MondayMorning;
        var third = await h.RunAsync();
        Assert.Equal(2, third.Sent);
        var monday = h.To("html@example.org")[^1];
        Assert.Contains("Listed Friday", monday.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Scaling Laws", monday.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, await h.App.WithDbAsync(db => db.DigestDeliveries.CountAsync(d => d.Period == "2026-06-12")));
    }

    /// <summary>The process "dies" right after the SMTP server accepted a message, before the acceptance is recorded.</summary>
    private sealed class DiesAfterFirstAcceptance(IMailTransport inner) : IMailTransport
    {
        private int _died;

        public Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct) =>
            inner.SendAsync(messages, async m =>
            {
                if (Interlocked.Exchange(ref _died, 1) == 0) throw new ProcessDied();
                if (sent is not null) await sent(m);
            }, ct);
    }

    private sealed class ProcessDied : Exception;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_digest_accepted_just_before_a_crash_is_resent_byte_for_byte_with_the_same_Message_ID(DatabaseProvider provider)
    {
        await using var h = await StartAsync(provider, new() { ["Digests:Sending:Connections"] = "1" },
            s => s.AddSingleton<IMailTransport>(sp => new DiesAfterFirstAcceptance(ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp))));
        await h.IngestAsync(Paper("2606.09001", "Crash-Safe Digests", Thursday, 7, "Ünïcode — and a long abstract. " + new string('x', 600)));
        await h.SubscribeAsync(new Subscription { Email = "crash@example.org" });

        await Assert.ThrowsAsync<ProcessDied>(h.RunAsync);

        // The server has the message; the row is claimed, not stamped, and still holds the message it stored when composing.
        var first = Assert.Single(h.Smtp.ReceivedBytes);
        var row = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((1, (DateTime?)null, (string?)null), (row.Attempts, row.SentAt, row.LastError));
        var stored = row.Mime ?? throw new Xunit.Sdk.XunitException("no stored message");

        // The next run, after the crashed run's claim has lapsed, resends it once.
        h.Time.Now = FridayMorning.AddHours(1);
        var again = await h.RunAsync();

        Assert.Equal(1, again.Sent);
        Assert.Equal(2, h.Smtp.ReceivedBytes.Count);
        var second = h.Smtp.ReceivedBytes.Last();
        Assert.Equal(first, second);
        Assert.Equal(TrimNewLine(stored), TrimNewLine(second));
        var messages = h.To("crash@example.org");
        Assert.Equal(2, messages.Count);
        Assert.Equal(messages[0].MessageId, messages[1].MessageId);
        Assert.Equal(row.MessageId, messages[1].MessageId);
        Assert.Contains("Crash-Safe Digests", messages[1].HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Ünïcode", messages[1].TextBody, StringComparison.Ordinal);
        // Sent: stamped, and the stored copy is dropped.
        var sentRow = Assert.Single(await h.DeliveriesAsync());
        Assert.NotNull(sentRow.SentAt);
        Assert.Null(sentRow.Mime);
    }

    /// <summary>Lets the first <paramref name="stamped"/> acceptances be recorded; every later one "dies" after the server accepted it, before its stamp.</summary>
    private sealed class DiesAfterAcceptances(int stamped)
    {
        private int _accepted, _limit = stamped;

        public void Revive() => _limit = int.MaxValue;

        public IMailTransport Wrap(IMailTransport inner) => new Transport(this, inner);

        private sealed class Transport(DiesAfterAcceptances owner, IMailTransport inner) : IMailTransport
        {
            public Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct) =>
                inner.SendAsync(messages, async m =>
                {
                    if (Interlocked.Increment(ref owner._accepted) > owner._limit) throw new ProcessDied();
                    if (sent is not null) await sent(m);
                }, ct);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Grouped_stamps_record_every_acceptance_and_a_crash_before_the_commit_resends_at_most_one_per_connection(DatabaseProvider provider)
    {
        const int Subscribers = 40, Connections = 4, Stamped = 10;
        var dies = new DiesAfterAcceptances(Stamped);
        await using var h = await StartAsync(provider, new() { ["Digests:Sending:Connections"] = "4", ["Digests:Sending:BatchSize"] = "5" },
            s => s.AddSingleton<IMailTransport>(sp => dies.Wrap(ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp))));
        await h.IngestAsync(Paper("2606.03201", "Stamped Together", Thursday, 5));
        await h.SubscribeAsync([.. Enumerable.Range(0, Subscribers).Select(i => new Subscription { Email = $"group{i}@example.org" })]);

        // The four connections share one stamp writer; once ten acceptances are recorded, each connection's next accepted
        // message is lost before its stamp is committed, and that connection stops there (the process "died").
        await Assert.ThrowsAsync<ProcessDied>(h.RunAsync);

        var rows = await h.DeliveriesAsync();
        var stamped = rows.Where(d => d.SentAt is not null).ToList();
        Assert.Equal(Stamped, stamped.Count);
        Assert.All(stamped, d => Assert.Null(d.Mime));
        var lost = h.Smtp.Received.Count - Stamped;
        Assert.InRange(lost, 1, Connections);

        // The next run, after the claims lapsed, sends the rest; only the lost ones arrive twice, with the same Message-ID.
        dies.Revive();
        h.Time.Now = FridayMorning.AddHours(1);
        Assert.Equal(Subscribers - Stamped, (await h.RunAsync()).Sent);
        Assert.Equal(Subscribers + lost, h.Smtp.Received.Count);
        var twice = h.Smtp.Received.GroupBy(m => m.MessageId, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        Assert.Equal(lost, twice.Count);
        Assert.All(twice, g => Assert.Equal(2, g.Count()));
        Assert.All(await h.DeliveriesAsync(), d => Assert.Equal((true, false, (byte[]?)null), (d.SentAt is not null, d.Abandoned, d.Mime)));
    }

    private static byte[] TrimNewLine(byte[] bytes) => bytes.AsSpan().TrimEnd("\r\n"u8).ToArray();

    [Fact]
    public async Task An_empty_period_sends_nothing_and_a_muted_keyword_never_arrives()
    {
        await using var h = await StartAsync(DatabaseProvider.Sqlite);
        await h.IngestAsync(Paper("2606.02001", "Diffusion Transformers", Thursday, 50), Paper("2606.02002", "Agents That Plan", Thursday, 5),
            Paper("2606.02003", "Images", Thursday, 40, "A latent DIFFUSION model."));
        await h.SubscribeAsync(new Subscription { Email = "mute@example.org", MuteKeywords = ["diffusion"] },
            new Subscription { Email = "nothing@example.org", IncludeKeywords = ["quantum gravity"] });

        var result = await h.RunAsync();

        Assert.Equal((1, 1, 1), (result.Composed, result.Empty, result.Sent));
        var message = Assert.Single(h.Smtp.Received);
        Assert.Equal("mute@example.org", message.To.Mailboxes.Single().Address);
        Assert.Contains("Agents That Plan", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("iffusion", message.TextBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Images", message.TextBody, StringComparison.Ordinal);
        Assert.Single(await h.DeliveriesAsync()); // no row for the empty digest
    }

    [Fact]
    public async Task Unsubscribing_after_composing_stops_the_digest()
    {
        await using var h = await StartAsync(DatabaseProvider.Sqlite);
        await h.IngestAsync(Paper("2606.03001", "Composed But Not Sent", Thursday, 5));
        await h.SubscribeAsync(new Subscription { Email = "leaving@example.org" }, new Subscription { Email = "staying@example.org" });

        Assert.Equal(2, (await h.ComposeAsync()).Composed);
        await h.App.WithDbAsync(db => db.Subscriptions.Where(s => s.Email == "leaving@example.org")
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Unsubscribed)));
        var result = await h.RunAsync();

        Assert.Equal((1, 1), (result.Sent, result.Abandoned));
        Assert.Empty(h.To("leaving@example.org"));
        Assert.Single(h.To("staying@example.org"));
        var leaving = (await h.DeliveriesAsync()).Single(d => d.SentAt is null);
        Assert.True(leaving.Abandoned);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_runs_at_once_with_four_connections_each_send_every_digest_exactly_once(DatabaseProvider provider)
    {
        const int Subscribers = 120;
        await using var h = await StartAsync(provider, new() { ["Digests:Sending:Connections"] = "4", ["Digests:Sending:BatchSize"] = "5" });
        h.Smtp.Delay = TimeSpan.FromMilliseconds(2);
        await h.IngestAsync(Paper("2606.03101", "Sent In Parallel", Thursday, 5));
        await h.SubscribeAsync([.. Enumerable.Range(0, Subscribers).Select(i => new Subscription { Email = $"reader{i}@example.org" })]);
        Assert.Equal(Subscribers, (await h.ComposeAsync()).Composed);

        // Two senders at once (as two app instances would run), each with four connections claiming batches of five.
        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            h.App.WithScopeAsync(s => s.GetRequiredService<DigestSender>().SendDueAsync(null, CancellationToken.None))));

        Assert.Equal((Subscribers, 0), (runs.Sum(r => r.Sent), runs.Sum(r => r.Failed)));
        Assert.Equal(Subscribers, h.Smtp.Received.Count);
        Assert.Equal(Subscribers, h.Smtp.Received.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Subscribers, h.Smtp.Received.Select(m => m.To.Mailboxes.Single().Address).Distinct(StringComparer.Ordinal).Count());
        var rows = await h.DeliveriesAsync();
        Assert.All(rows, d => Assert.Equal((true, 1, false), (d.SentAt is not null, d.Attempts, d.Abandoned)));
        Assert.Equal(0, (await h.RunAsync()).Sent);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_with_backoff_and_sent_once()
    {
        await using var h = await StartAsync(DatabaseProvider.Sqlite);
        await h.IngestAsync(Paper("2606.04001", "Retried Paper", Thursday, 5));
        await h.SubscribeAsync(new Subscription { Email = "patient@example.org" });
        await h.Smtp.StopAsync();

        var down = await h.RunAsync();

        Assert.Equal((1, 0, 1), (down.Composed, down.Sent, down.Failed));
        var row = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((null, 1, false), (row.SentAt, row.Attempts, row.Abandoned));
        Assert.NotNull(row.LastError);
        Assert.Equal(FridayMorning.UtcDateTime.AddMinutes(1), row.NextAttemptAt);

        h.Smtp.Resume();
        Assert.Equal(0, (await h.RunAsync()).Sent); // not before the backoff
        h.Time.Now = FridayMorning.AddMinutes(2);
        Assert.Equal(1, (await h.RunAsync()).Sent);
        Assert.Equal(0, (await h.RunAsync()).Sent);
        Assert.Single(h.Smtp.Received);
        row = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((2, true), (row.Attempts, row.SentAt is not null));
    }

    [Fact]
    public async Task A_refused_recipient_is_recorded_does_not_stop_the_others_and_is_suspended_after_the_limit()
    {
        await using var h = await StartAsync(DatabaseProvider.Sqlite, new() { ["Digests:Sending:MaxPermanentFailures"] = "2" });
        await h.IngestAsync(Paper("2606.05001", "For Everyone", Thursday, 5));
        await h.SubscribeAsync(new Subscription { Email = "a@example.org" }, new Subscription { Email = "gone@example.org" }, new Subscription { Email = "c@example.org" });
        h.Smtp.Refused["gone@example.org"] = true;

        var first = await h.RunAsync();

        Assert.Equal((2, 1), (first.Sent, first.Failed));
        Assert.Single(h.To("a@example.org"));
        Assert.Single(h.To("c@example.org"));
        var refused = (await h.DeliveriesAsync()).Single(d => d.SentAt is null);
        Assert.True(refused.Abandoned);
        Assert.StartsWith("550", refused.LastError, StringComparison.Ordinal);
        var gone = await h.SubscriptionAsync("gone@example.org");
        Assert.Equal((SubscriptionStatus.Active, 1), (gone.Status, gone.PermanentFailures));

        await h.IngestAsync(Paper("2606.05002", "Friday Paper", Friday, 5));
        h.Time.Now = MondayMorning;
        var second = await h.RunAsync();

        Assert.Equal((2, 1), (second.Sent, second.Failed));
        gone = await h.SubscriptionAsync("gone@example.org");
        Assert.Equal((SubscriptionStatus.Suspended, 2), (gone.Status, gone.PermanentFailures));
        Assert.StartsWith("550", gone.LastError, StringComparison.Ordinal);
        Assert.Equal(4, h.Smtp.Received.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_digest_missed_while_the_app_was_down_goes_out_late_once_without_repeating_a_paper(DatabaseProvider provider)
    {
        // Thursday's digest (Wednesday's listings) was due Thursday 07:00; the app was down all Thursday.
        await using var h = await StartAsync(provider, new() { ["Digests:Sending:CatchUpDays"] = "1" });
        var monday = new DateOnly(2026, 6, 8);
        var wednesday = new DateOnly(2026, 6, 10);
        await h.IngestAsync(Paper("2606.07001", "Too Old Paper", monday, 50), Paper("2606.07002", "Late Paper", wednesday, 40),
            Paper("2606.07003", "Listed Twice", wednesday, 30), Paper("2606.07004", "Current Paper", Thursday, 20));
        await h.IngestAsync(Paper("2606.07003", "Listed Twice", Thursday, 30));
        await h.SubscribeAsync(new Subscription { Email = "long@example.org", ActivatedAt = new DateTime(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc) },
            new Subscription { Email = "new@example.org", ActivatedAt = FridayMorning.UtcDateTime.AddMinutes(-30) });

        var result = await h.RunAsync();

        Assert.Equal((3, 3), (result.Composed, result.Sent));
        var rows = await h.DeliveriesAsync();
        var longId = (await h.SubscriptionAsync("long@example.org")).Id;
        Assert.Equal(["2026-06-10", "2026-06-11"], rows.Where(r => r.SubscriptionId == longId).Select(r => r.Period));
        var longTime = h.To("long@example.org");
        Assert.Equal(2, longTime.Count);
        Assert.Contains("Late Paper", longTime[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Listed Twice", longTime[0].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Current Paper", longTime[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("Current Paper", longTime[1].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Listed Twice", longTime[1].TextBody, StringComparison.Ordinal); // already in the late one
        Assert.DoesNotContain(longTime, m => (m.TextBody ?? "").Contains("Too Old Paper", StringComparison.Ordinal)); // Tuesday's, out of the window
        // Confirmed after Thursday's send time: only Friday's digest, with the twice-listed paper.
        var newcomer = Assert.Single(h.To("new@example.org"));
        Assert.Contains("Listed Twice", newcomer.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Late Paper", newcomer.TextBody, StringComparison.Ordinal);

        Assert.Equal(0, (await h.RunAsync()).Composed);
        Assert.Equal(3, h.Smtp.Received.Count);
        h.Time.Now = FridayMorning.AddHours(6);
        Assert.Equal(0, (await h.RunAsync()).Composed);
    }

    [Fact]
    public async Task A_schedule_changed_on_the_preferences_page_catches_up_nothing_from_before_the_change()
    {
        await using var h = await StartAsync(DatabaseProvider.Sqlite);
        await h.IngestAsync(Paper("2606.07101", "Wednesday Paper", new DateOnly(2026, 6, 10), 40), Paper("2606.07102", "Thursday Paper", Thursday, 20));
        var weekly = (await h.SubscribeAsync(new Subscription { Email = "switch@example.org", Frequency = DigestFrequency.Weekly, WeeklyDay = DayOfWeek.Monday,
            ActivatedAt = new DateTime(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc) })).Single();
        var path = new Uri(await h.App.WithScopeAsync(s => Task.FromResult(s.GetRequiredService<DigestLinks>().PreferencesUrl(weekly)))).PathAndQuery;
        using var client = Forms.Client(h.App);

        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(path, "#preferences-form", new Dictionary<string, string> { ["Input.Frequency"] = "daily" })).StatusCode);
        await h.RunAsync();

        // Daily from Friday on: Friday's digest, not a late Thursday one from the weekly days.
        var message = Assert.Single(h.To("switch@example.org"));
        Assert.Contains("Thursday Paper", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Wednesday Paper", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_DKIM_configured_a_received_digest_verifies_against_the_published_key_and_a_changed_unsubscribe_header_does_not()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        await using var h = await StartAsync(DatabaseProvider.Sqlite, new()
        {
            ["Smtp:DkimDomain"] = "papers.example.org", ["Smtp:DkimSelector"] = "pf2026", ["Smtp:DkimPrivateKey"] = rsa.ExportPkcs8PrivateKeyPem(),
        });
        await h.IngestAsync(Paper("2606.08001", "Signed Paper", Thursday, 5));
        await h.SubscribeAsync(new Subscription { Email = "signed@example.org" });

        Assert.Equal(1, (await h.RunAsync()).Sent);

        var message = Assert.Single(h.To("signed@example.org"));
        var signature = message.Headers[HeaderId.DkimSignature] ?? "";
        Assert.Contains("d=papers.example.org", signature, StringComparison.Ordinal);
        Assert.Contains("s=pf2026", signature, StringComparison.Ordinal);
        var signedFields = System.Text.RegularExpressions.Regex.Match(signature, @"h=([^;]+)").Groups[1].Value.Replace(" ", "", StringComparison.Ordinal)
            .Split(':').Select(f => f.Trim().ToLowerInvariant()).ToList();
        Assert.Superset(new HashSet<string> { "from", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post" }, signedFields.ToHashSet());
        // The TXT record an operator publishes at pf2026._domainkey.papers.example.org.
        var verifier = new MimeKit.Cryptography.DkimVerifier(new PublishedKey($"v=DKIM1; k=rsa; p={Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())}"));
        var header = message.Headers.First(x => x.Id == HeaderId.DkimSignature);
        Assert.True(await verifier.VerifyAsync(message, header));

        message.Headers[HeaderId.ListUnsubscribe] = "<https://elsewhere.example.com/unsubscribe>";
        Assert.False(await verifier.VerifyAsync(message, header));
    }

    [Fact]
    public async Task Half_configured_DKIM_stops_the_app_at_start_naming_the_setting()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(DatabaseProvider.Sqlite, new() { ["Smtp:DkimDomain"] = "papers.example.org" }));
        Assert.Contains("Smtp:DkimSelector", ex.ToString(), StringComparison.Ordinal);
    }

    private sealed class PublishedKey(string txt) : MimeKit.Cryptography.DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            (domain, selector) == ("papers.example.org", "pf2026") ? GetPublicKey(txt) : throw new InvalidOperationException($"no key at {selector}._domainkey.{domain}");

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}

/// <summary>/digest/preview renders the sample digest of the latest day inside the page.</summary>
public sealed class DigestPreviewTests
{
    [Fact]
    public async Task The_preview_shows_the_latest_days_digest_encoded_in_an_iframe()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["App:BaseUrl"] = "https://papers.example.org" });
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [new PaperRecord { ArxivId = "2606.06001", Title = "<script>alert(1)</script> Preview Paper", ListDay = new DateOnly(2026, 6, 12), Upvotes = 3 }]));

        var html = await app.CreateClient().GetStringAsync("/digest/preview");

        Assert.Contains("<iframe title=\"The digest email\" srcdoc=\"&lt;!DOCTYPE html&gt;", html, StringComparison.Ordinal);
        Assert.Contains("https://papers.example.org/papers/2606.06001", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", html, StringComparison.Ordinal);
    }
}
