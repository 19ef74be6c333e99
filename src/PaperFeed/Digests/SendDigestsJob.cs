using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Site;

namespace PaperFeed.Digests;

/// <summary>Counts of one run.</summary>
public sealed record DigestRunResult(int Composed, int Empty, int Sent, int Failed, int Abandoned)
{
    public static readonly DigestRunResult None = new(0, 0, 0, 0, 0);
}

/// <summary>
/// Phase 1 composes a delivery row (and its papers) for each due subscription without one for the period; phase 2 sends
/// the rows not sent yet. The database decides what was done, so a retry, a second instance or a restart is safe.
/// </summary>
public sealed class SendDigestsJob(CatalogDbContext db, DigestComposer composer, DigestLinks links, DigestSender sender, TimeProvider time,
    IOptions<SiteOptions> site, IOptions<DigestSendingOptions> options, ILogger<SendDigestsJob> logger)
{
    // Two runs at once would compose in parallel and race on the unique index for nothing.
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) => RunOnceAsync(null, ct);

    public async Task<DigestRunResult> RunOnceAsync(Action<string>? progress, CancellationToken ct)
    {
        var (composed, empty) = await ComposeAsync(progress, ct);
        var sent = await sender.SendDueAsync(progress, ct);
        var result = sent with { Composed = composed, Empty = empty };
        logger.LogInformation("Digests: {Composed} composed, {Empty} empty, {Sent} sent, {Failed} failed, {Abandoned} abandoned",
            result.Composed, result.Empty, result.Sent, result.Failed, result.Abandoned);
        return result;
    }

    /// <summary>Phase 1 alone: a delivery row for each due subscription with papers for its period and none yet.</summary>
    public async Task<(int Composed, int Empty)> ComposeAsync(Action<string>? progress, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var active = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active).OrderBy(s => s.Id).ToListAsync(ct);
        var due = active.Select(s => (Subscription: s, Period: DigestPeriod.For(s, now))).Where(x => x.Period is not null).ToList();
        var periodIds = due.Select(x => x.Period!.Id).Distinct().ToList();
        var done = (await db.DigestDeliveries.Where(d => periodIds.Contains(d.Period)).Select(d => new { d.SubscriptionId, d.Period }).ToListAsync(ct))
            .Select(d => (d.SubscriptionId, d.Period)).ToHashSet();

        var baseUrl = (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');
        int composed = 0, empty = 0;
        foreach (var (subscription, period) in due)
        {
            if (done.Contains((subscription.Id, period!.Id))) continue;
            var candidates = await DigestSelection.SelectAsync(db, subscription, period, options.Value.MaxCandidates, ct);
            if (candidates.Count == 0) { empty++; continue; }
            var content = await composer.ComposeAsync(subscription, period, [.. candidates.Select(c => c.ToItem(baseUrl))],
                new DigestEmailLinks(baseUrl, links.PreferencesUrl(subscription), links.UnsubscribeUrl(subscription)), site.Value.SiteName);
            if (await RecordAsync(subscription, period, content, candidates, ct)) composed++;
            if (composed > 0 && composed % 500 == 0) progress?.Invoke($"composed {composed} digests");
        }
        return (composed, empty);
    }

    /// <summary>The delivery and its papers in one transaction; false when another run recorded this period first.</summary>
    private async Task<bool> RecordAsync(Subscription subscription, DigestPeriod period, DigestContent content, List<DigestCandidate> papers, CancellationToken ct)
    {
        var delivery = new DigestDelivery
        {
            SubscriptionId = subscription.Id,
            Period = period.Id,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            MessageId = DigestMessages.MessageIdFor(subscription.Id, period.Id, site.Value.BaseUrl),
            Subject = content.Subject,
            Html = content.Html,
            Text = content.Text,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.DigestDeliveries.Add(delivery);
            await db.SaveChangesAsync(ct);
            db.DigestPapers.AddRange(papers.Select(p => new DigestPaper { SubscriptionId = subscription.Id, PaperId = p.Id, DeliveryId = delivery.Id }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException ex)
        {
            // The unique (subscription, period) index: another instance composed it a moment ago.
            await transaction.RollbackAsync(ct);
            logger.LogInformation("Digest {Period} for subscription {SubscriptionId} already recorded elsewhere: {Reason}", period.Id, subscription.Id, ex.InnerException?.Message ?? ex.Message);
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
