using System.Net.Sockets;
using ServiceNotConnectedException = MailKit.ServiceNotConnectedException;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Data;
using PaperFeed.Email;

namespace PaperFeed.Digests;

/// <summary>
/// Sends stored deliveries not sent yet. Each batch is claimed first (Attempts + 1, NextAttemptAt = a lease unique to the
/// batch), then sent over one connection, each row stamped right after the server accepts it. A batch that ended without
/// a result (a crash) leaves rows with Attempts &gt; 0 and no error: only the first of them can have been accepted unstamped,
/// and it is resent with the same Message-ID and logged as a possible duplicate.
/// </summary>
public sealed class DigestSender(CatalogDbContext db, IMailTransport transport, DigestMessages messages, DigestLinks links, TimeProvider time,
    IOptions<DigestSendingOptions> options, IOptions<SmtpOptions> smtp, ILogger<DigestSender> logger)
{
    public async Task<DigestRunResult> SendDueAsync(Action<string>? progress, CancellationToken ct)
    {
        var o = options.Value;
        var batchSize = Math.Min(o.BatchSize, smtp.Value.MessagesPerConnection);
        int sent = 0, failed = 0, abandoned = 0;
        long lastId = 0;
        while (true)
        {
            var now = Micros(time.GetUtcNow().UtcDateTime);
            var due = await db.DigestDeliveries.AsNoTracking()
                .Where(d => d.Id > lastId && d.SentAt == null && !d.Abandoned && (d.NextAttemptAt == null || d.NextAttemptAt <= now))
                .OrderBy(d => d.Id).Take(batchSize)
                .Select(d => new { d.Id, d.Attempts, d.LastError, d.NextAttemptAt })
                .ToListAsync(ct);
            if (due.Count == 0) break;
            lastId = due[^1].Id;

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
                    d.Subscription.Email, d.Subscription.Status))
                .ToListAsync(ct);

            // Unsubscribed (or paused, suspended) since composing: never sent.
            var ended = claimed.Where(d => d.Status != SubscriptionStatus.Active).ToList();
            foreach (var d in ended)
            {
                await db.DigestDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Abandoned, true)
                    .SetProperty(x => x.NextAttemptAt, (DateTime?)null).SetProperty(x => x.LastError, $"subscription {d.Status} before sending"), ct);
                abandoned++;
            }

            var batch = claimed.Where(d => d.Status == SubscriptionStatus.Active).ToList();
            var built = batch.Select(d => (Delivery: d, Message: messages.Build(d, links.UnsubscribeUrl(new Subscription { Id = d.SubscriptionId, Email = d.Email })))).ToList();
            foreach (var (d, _) in built.Where(b => uncertain.Contains(b.Delivery.Id)))
                logger.LogWarning("Possible duplicate: resending {MessageId} to {To}; its previous attempt (#{Attempt}) ended without a result, so the server may have accepted it",
                    d.MessageId, d.Email, d.Attempts - 1);

            var (batchSent, batchFailed, stop) = await SendBatchAsync(built, ct);
            sent += batchSent;
            failed += batchFailed;
            progress?.Invoke($"sent {sent} digests, {failed} failed");
            if (stop) break;
        }
        return new DigestRunResult(0, 0, sent, failed, abandoned);
    }

    /// <summary>Sends one batch; a permanent refusal skips that message and goes on, a transient failure stops the run.</summary>
    private async Task<(int Sent, int Failed, bool Stop)> SendBatchAsync(List<(PendingDelivery Delivery, MimeMessage Message)> batch, CancellationToken ct)
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
                        var at = time.GetUtcNow().UtcDateTime;
                        await db.DigestDeliveries.Where(x => x.Id == d.Id && x.SentAt == null)
                            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SentAt, at).SetProperty(x => x.NextAttemptAt, (DateTime?)null), CancellationToken.None);
                        sentSubscriptions.Add(d.SubscriptionId);
                        accepted++;
                        sent++;
                    }, ct);
                    index = batch.Count;
                }
                catch (SmtpCommandException ex) when (IsPermanent(ex))
                {
                    await PermanentAsync(part[accepted].Delivery, ex, ct);
                    failed++;
                    index += accepted + 1;
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    var rest = part.Skip(accepted).Select(b => b.Delivery).ToList();
                    // A failure after the last acceptance (QUIT) leaves nothing to retry.
                    if (rest.Count == 0) return (sent, failed, false);
                    await TransientAsync(rest, ex, ct);
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

    private async Task PermanentAsync(PendingDelivery d, SmtpCommandException ex, CancellationToken ct)
    {
        var error = $"{(int)ex.StatusCode} {ex.Message}";
        var max = options.Value.MaxPermanentFailures;
        await db.DigestDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Abandoned, true)
            .SetProperty(x => x.NextAttemptAt, (DateTime?)null).SetProperty(x => x.LastError, error), ct);
        await db.Subscriptions.Where(s => s.Id == d.SubscriptionId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PermanentFailures, s => s.PermanentFailures + 1).SetProperty(s => s.LastError, error), ct);
        var suspended = await db.Subscriptions.Where(s => s.Id == d.SubscriptionId && s.Status == SubscriptionStatus.Active && s.PermanentFailures >= max)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Status, SubscriptionStatus.Suspended), ct);
        logger.LogWarning("Digest {MessageId} to {To} refused permanently ({Error}){Suspended}", d.MessageId, d.Email, error,
            suspended > 0 ? $"; subscription suspended after {max} permanent failures" : "");
    }

    private async Task TransientAsync(List<PendingDelivery> rest, Exception ex, CancellationToken ct)
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
}
