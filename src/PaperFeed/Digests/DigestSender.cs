using System.Data.Common;
using System.Net.Sockets;
using System.Threading.Channels;
using ServiceNotConnectedException = MailKit.ServiceNotConnectedException;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Data;
using PaperFeed.Email;

namespace PaperFeed.Digests;

/// <summary>
/// Sends stored deliveries not sent yet, over Digests:Sending:Connections SMTP connections at once. Each batch is claimed first
/// (Attempts + 1, NextAttemptAt = a lease unique to the batch), then sent over one connection, each row stamped right after
/// the server accepts it (by the run's one stamp writer; the connection waits for that commit before its next message). A batch that ended without a result (a crash) leaves rows with Attempts &gt; 0 and no error: only
/// the first of them can have been accepted unstamped (one per connection that was open), and it is resent with the same
/// Message-ID and logged as a possible duplicate.
/// </summary>
public sealed class DigestSender(IServiceScopeFactory scopes, IMailTransport transport, DigestMessages messages, DigestLinks links, TimeProvider time,
    IOptions<DigestSendingOptions> options, IOptions<SmtpOptions> smtp, ILogger<DigestSender> logger)
{
    /// <summary>What the connections of one run share: where the next claim starts, the counts, and whether to stop.</summary>
    private sealed class Run
    {
        public readonly SemaphoreSlim Claiming = new(1, 1);
        public long LastId;
        public int Sent, Failed, Abandoned;
        public volatile bool Stop;
    }

    public async Task<DigestRunResult> SendDueAsync(Action<string>? progress, CancellationToken ct)
    {
        var run = new Run();
        // One writer records every connection's acceptances: stamps pending at the same moment share one commit.
        await using (var stamps = await StampWriter.StartAsync(scopes, ct))
        {
            // Each connection claims and sends its own batches with its own DbContext.
            await Task.WhenAll(Enumerable.Range(0, options.Value.Connections).Select(_ => Task.Run(() => SendBatchesAsync(run, stamps, progress, ct), ct)));
        }
        return new DigestRunResult(0, 0, run.Sent, run.Failed, run.Abandoned);
    }

    private async Task SendBatchesAsync(Run run, StampWriter stamp, Action<string>? progress, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        while (!run.Stop)
        {
            List<PendingDelivery> claimed;
            HashSet<long> uncertain;
            // One claim at a time within this process: the connections take consecutive batches instead of racing for the same rows.
            await run.Claiming.WaitAsync(ct);
            try
            {
                (claimed, uncertain) = await ClaimAsync(db, run, ct);
            }
            finally
            {
                run.Claiming.Release();
            }
            if (claimed.Count == 0) break;

            // Unsubscribed (or paused, suspended) since composing: never sent.
            foreach (var d in claimed.Where(d => d.Status != SubscriptionStatus.Active))
            {
                await db.DigestDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Abandoned, true).SetProperty(x => x.Mime, (byte[]?)null)
                    .SetProperty(x => x.NextAttemptAt, (DateTime?)null).SetProperty(x => x.LastError, $"subscription {d.Status} before sending"), ct);
                Interlocked.Increment(ref run.Abandoned);
            }

            var batch = claimed.Where(d => d.Status == SubscriptionStatus.Active).ToList();
            // Stored at composing: sending is parsing the stored bytes and SMTP. Rows composed before that are built here as before.
            var built = batch.Select(d => (Delivery: d, Message: d.Mime is { } mime ? DigestMessages.Load(mime)
                : messages.Build(d, links.UnsubscribeUrl(new Subscription { Id = d.SubscriptionId, Email = d.Email })))).ToList();
            foreach (var (d, _) in built.Where(b => uncertain.Contains(b.Delivery.Id)))
                logger.LogWarning("Possible duplicate: resending {MessageId} to {To}; its previous attempt (#{Attempt}) ended without a result, so the server may have accepted it",
                    d.MessageId, d.Email, d.Attempts - 1);

            var (batchSent, batchFailed, stop) = await SendBatchAsync(db, stamp, built, ct);
            var sent = Interlocked.Add(ref run.Sent, batchSent);
            var failed = Interlocked.Add(ref run.Failed, batchFailed);
            if (progress is not null) lock (run) progress($"sent {sent} digests, {failed} failed");
            if (stop) run.Stop = true;
        }
    }

    /// <summary>
    /// The next batch of due deliveries, claimed for this connection (empty when none is left). The claim is a conditional
    /// UPDATE, so another instance claiming the same rows gets none of them.
    /// </summary>
    private async Task<(List<PendingDelivery> Claimed, HashSet<long> Uncertain)> ClaimAsync(CatalogDbContext db, Run run, CancellationToken ct)
    {
        var o = options.Value;
        var batchSize = Math.Min(o.BatchSize, smtp.Value.MessagesPerConnection);
        while (true)
        {
            var now = Micros(time.GetUtcNow().UtcDateTime);
            var lastId = run.LastId;
            var due = await db.DigestDeliveries.AsNoTracking()
                .Where(d => d.Id > lastId && d.SentAt == null && !d.Abandoned && (d.NextAttemptAt == null || d.NextAttemptAt <= now))
                .OrderBy(d => d.Id).Take(batchSize)
                .Select(d => new { d.Id, d.Attempts, d.LastError, d.NextAttemptAt })
                .ToListAsync(ct);
            if (due.Count == 0) return ([], []);
            run.LastId = due[^1].Id;

            // Rows whose last attempt never recorded a result, grouped by that attempt's batch: the first of each may have been accepted.
            var uncertain = due.Where(d => d.Attempts > 0 && d.LastError == null).GroupBy(d => d.NextAttemptAt).Select(g => g.Min(d => d.Id)).ToHashSet();

            var lease = now.AddSeconds(o.ClaimSeconds).AddTicks(10 * Random.Shared.Next(1, 1_000_000));
            var ids = due.Select(d => d.Id).ToList();
            await db.DigestDeliveries
                .Where(d => ids.Contains(d.Id) && d.SentAt == null && !d.Abandoned && (d.NextAttemptAt == null || d.NextAttemptAt <= now))
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.Attempts, d => d.Attempts + 1).SetProperty(d => d.NextAttemptAt, lease)
                    .SetProperty(d => d.LastError, (string?)null), ct);
            var claimed = await db.DigestDeliveries.AsNoTracking()
                .Where(d => ids.Contains(d.Id) && d.NextAttemptAt == lease && d.SentAt == null)
                .OrderBy(d => d.Id)
                .Select(d => new PendingDelivery(d.Id, d.MessageId, d.Subject, d.Html, d.Text, d.CreatedAt, d.Attempts, d.SubscriptionId,
                    d.Subscription.Email, d.Subscription.Status, d.Mime))
                .ToListAsync(ct);
            if (claimed.Count > 0) return (claimed, uncertain);
        }
    }

    /// <summary>Sends one batch; a permanent refusal skips that message and goes on, a transient failure stops the run.</summary>
    private async Task<(int Sent, int Failed, bool Stop)> SendBatchAsync(CatalogDbContext db, StampWriter stamp,
        List<(PendingDelivery Delivery, MimeMessage Message)> batch, CancellationToken ct)
    {
        int sent = 0, failed = 0, index = 0;
        var sentSubscriptions = new List<long>();
        try
        {
            while (index < batch.Count)
            {
                var part = batch.Skip(index).ToList();
                var accepted = 0;
                try
                {
                    await transport.SendAsync(part.Select(b => b.Message).ToList(), async _ =>
                    {
                        var d = part[accepted].Delivery;
                        await stamp.StampAsync(d.Id, time.GetUtcNow().UtcDateTime);
                        sentSubscriptions.Add(d.SubscriptionId);
                        accepted++;
                        sent++;
                    }, ct);
                    index = batch.Count;
                }
                catch (SmtpCommandException ex) when (IsPermanent(ex))
                {
                    await PermanentAsync(db, part[accepted].Delivery, ex, ct);
                    failed++;
                    index += accepted + 1;
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    var rest = part.Skip(accepted).Select(b => b.Delivery).ToList();
                    // A failure after the last acceptance (QUIT) leaves nothing to retry.
                    if (rest.Count == 0) return (sent, failed, false);
                    await TransientAsync(db, rest, ex, ct);
                    failed += rest.Count;
                    return (sent, failed, true);
                }
            }
            return (sent, failed, false);
        }
        finally
        {
            // A failure counts "in a row": an accepted message resets it.
            if (sentSubscriptions.Count > 0)
                await db.Subscriptions.Where(s => sentSubscriptions.Contains(s.Id) && s.PermanentFailures > 0)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.PermanentFailures, 0), CancellationToken.None);
        }
    }

    private static bool IsPermanent(SmtpCommandException ex) =>
        (int)ex.StatusCode >= 500 && ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;

    private static bool IsTransient(Exception ex) => ex is SmtpCommandException or SmtpProtocolException or SocketException or IOException
        or TimeoutException or ServiceNotConnectedException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException;

    private async Task PermanentAsync(CatalogDbContext db, PendingDelivery d, SmtpCommandException ex, CancellationToken ct)
    {
        var error = $"{(int)ex.StatusCode} {ex.Message}";
        var max = options.Value.MaxPermanentFailures;
        await db.DigestDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Abandoned, true).SetProperty(x => x.Mime, (byte[]?)null)
            .SetProperty(x => x.NextAttemptAt, (DateTime?)null).SetProperty(x => x.LastError, error), ct);
        await db.Subscriptions.Where(s => s.Id == d.SubscriptionId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PermanentFailures, s => s.PermanentFailures + 1).SetProperty(s => s.LastError, error), ct);
        var suspended = await db.Subscriptions.Where(s => s.Id == d.SubscriptionId && s.Status == SubscriptionStatus.Active && s.PermanentFailures >= max)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Suspended), ct);
        logger.LogWarning("Digest {MessageId} to {To} refused permanently ({Error}){Suspended}", d.MessageId, d.Email, error,
            suspended > 0 ? $"; subscription suspended after {max} permanent failures" : "");
    }

    private async Task TransientAsync(CatalogDbContext db, List<PendingDelivery> rest, Exception ex, CancellationToken ct)
    {
        var error = $"{ex.GetType().Name}: {ex.Message}";
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var group in rest.GroupBy(d => d.Attempts))
        {
            var ids = group.Select(d => d.Id).ToList();
            var next = Micros(now + options.Value.Backoff(group.Key));
            await db.DigestDeliveries.Where(x => ids.Contains(x.Id) && x.SentAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextAttemptAt, next).SetProperty(x => x.LastError, error), ct);
        }
        logger.LogWarning("Sending digests stopped by a transient failure ({Error}): {Count} retried from {Next}", error, rest.Count,
            now + options.Value.Backoff(rest.Min(d => d.Attempts)));
    }

    /// <summary>PostgreSQL keeps microseconds: a lease compared for equality must not carry more.</summary>
    private static DateTime Micros(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    /// <summary>
    /// "Accepted", recorded for all the run's connections by one writer on its own connection. A connection sends its next
    /// message only once its stamp is committed, so a crash still leaves at most one accepted message unstamped per open
    /// connection; the stamps that arrive while a commit runs share the next one (one transaction and one WAL flush for
    /// several connections, where each connection committed, and on SQLite queued for the write lock, on its own). Each stamp
    /// is a prepared UPDATE by key that also drops the stored message (a day of 50,000 digests is ~1 GB of them): on SQLite
    /// any change to the row rewrites its ~20 KB, so dropping it in the stamp writes the row once instead of twice.
    /// </summary>
    private sealed class StampWriter : IAsyncDisposable
    {
        private readonly Channel<(long Id, DateTime At, TaskCompletionSource Done)> _pending =
            Channel.CreateUnbounded<(long, DateTime, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly AsyncServiceScope _scope;
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbParameter _id, _at;
        private readonly Task _writing;

        private StampWriter(AsyncServiceScope scope, DbConnection connection, DbCommand command, DbParameter id, DbParameter at)
        {
            (_scope, _connection, _command, _id, _at) = (scope, connection, command, id, at);
            _writing = Task.Run(WriteAsync);
        }

        public static async Task<StampWriter> StartAsync(IServiceScopeFactory scopes, CancellationToken ct)
        {
            var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var command = connection.CreateCommand();
            command.CommandText = """UPDATE "DigestDeliveries" SET "SentAt" = @at, "NextAttemptAt" = NULL, "Mime" = NULL WHERE "Id" = @id AND "SentAt" IS NULL""";
            var id = command.AddParameter("@id", 0L);
            var at = command.AddParameter("@at", DateTime.UtcNow); // a UTC DateTime: timestamptz on PostgreSQL, EF's text format on SQLite
            await command.PrepareAsync(ct);
            return new StampWriter(scope, connection, command, id, at);
        }

        /// <summary>Completes when the stamp is committed. Not cancellable: the server has accepted the message; recording that must not be skipped.</summary>
        public Task StampAsync(long id, DateTime at)
        {
            // The connection goes on (its next SMTP transaction) on the thread pool, not inside the writer's loop.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_pending.Writer.TryWrite((id, at, done))) done.SetException(new InvalidOperationException("The stamp writer has stopped"));
            return done.Task;
        }

        private async Task WriteAsync()
        {
            var group = new List<(long Id, DateTime At, TaskCompletionSource Done)>();
            while (await _pending.Reader.WaitToReadAsync(CancellationToken.None))
            {
                group.Clear();
                while (_pending.Reader.TryRead(out var stamp)) group.Add(stamp);
                try
                {
                    await using var transaction = await _connection.BeginTransactionAsync(CancellationToken.None);
                    _command.Transaction = transaction;
                    foreach (var (id, at, _) in group)
                    {
                        _id.Value = id;
                        _at.Value = at;
                        await _command.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                    await transaction.CommitAsync(CancellationToken.None);
                    foreach (var stamp in group) stamp.Done.SetResult();
                }
                catch (Exception ex)
                {
                    foreach (var stamp in group) stamp.Done.TrySetException(ex);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _pending.Writer.TryComplete();
            await _writing;
            await _command.DisposeAsync();
            await _scope.DisposeAsync();
        }
    }
}
