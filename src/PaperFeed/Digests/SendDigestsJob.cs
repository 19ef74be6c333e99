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

    /// <summary>
    /// Phase 1 alone: a delivery row for each due subscription and period with papers and none yet. Oldest period first (a late
    /// digest takes its own period's papers); per period the papers are read once, and digests are recorded in batches.
    /// </summary>
    public async Task<(int Composed, int Empty)> ComposeAsync(Action<string>? progress, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        var active = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active).OrderBy(s => s.Id).ToListAsync(ct);
        var due = active.SelectMany(s => DigestPeriod.Due(s, now, o.CatchUpDays).Select(p => (Subscription: s, Period: p))).ToList();
        var periodIds = due.Select(x => x.Period.Id).Distinct().ToList();
        var done = (await db.DigestDeliveries.Where(d => periodIds.Contains(d.Period)).Select(d => new { d.SubscriptionId, d.Period }).ToListAsync(ct))
            .Select(d => (d.SubscriptionId, d.Period)).ToHashSet();

        var baseUrl = (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');
        int composed = 0, empty = 0;
        foreach (var group in due.Where(x => !done.Contains((x.Subscription.Id, x.Period.Id))).GroupBy(x => x.Period).OrderBy(g => g.Key.From))
        {
            var period = group.Key;
            var papers = await DigestSelection.PeriodPapersAsync(db, period, ct);
            foreach (var chunk in group.Select(x => x.Subscription).Chunk(o.ComposeBatchSize))
            {
                var sent = await DigestSelection.AlreadySentAsync(db, [.. chunk.Select(s => s.Id)], period, ct);
                var digests = new List<ComposedDigest>();
                foreach (var subscription in chunk)
                {
                    var selected = DigestSelection.Select(subscription, papers, sent);
                    if (selected.Count == 0) { empty++; continue; }
                    var content = await composer.ComposeAsync(subscription, period, [.. selected.Select(c => c.ToItem(baseUrl))],
                        new DigestEmailLinks(baseUrl, links.PreferencesUrl(subscription), links.UnsubscribeUrl(subscription)), site.Value.SiteName);
                    digests.Add(new ComposedDigest(subscription.Id, period.Id, content, [.. selected.Select(c => c.Id)]));
                }
                composed += await RecordAsync(digests, ct);
                progress?.Invoke($"composed {composed} digests");
            }
        }
        return (composed, empty);
    }

    private sealed record ComposedDigest(long SubscriptionId, string Period, DigestContent Content, List<long> PaperIds);

    /// <summary>
    /// The deliveries and their papers in one transaction. When another run recorded one of them first (the unique
    /// (subscription, period) index), the batch is recorded again one digest at a time, skipping those.
    /// </summary>
    private async Task<int> RecordAsync(List<ComposedDigest> digests, CancellationToken ct)
    {
        if (digests.Count == 0) return 0;
        try
        {
            await RecordTogetherAsync(digests, ct);
            return digests.Count;
        }
        catch (DbUpdateException) when (digests.Count > 1)
        {
            var recorded = 0;
            foreach (var digest in digests)
            {
                try
                {
                    await RecordTogetherAsync([digest], ct);
                    recorded++;
                }
                catch (DbUpdateException ex)
                {
                    logger.LogInformation("Digest {Period} for subscription {SubscriptionId} already recorded elsewhere: {Reason}",
                        digest.Period, digest.SubscriptionId, ex.InnerException?.Message ?? ex.Message);
                }
            }
            return recorded;
        }
    }

    private async Task RecordTogetherAsync(List<ComposedDigest> digests, CancellationToken ct)
    {
        var at = time.GetUtcNow().UtcDateTime;
        var deliveries = digests.Select(d => new DigestDelivery
        {
            SubscriptionId = d.SubscriptionId,
            Period = d.Period,
            CreatedAt = at,
            MessageId = DigestMessages.MessageIdFor(d.SubscriptionId, d.Period, site.Value.BaseUrl),
            Subject = d.Content.Subject,
            Html = d.Content.Html,
            Text = d.Content.Text,
        }).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.DigestDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(ct);
            db.DigestPapers.AddRange(digests.Zip(deliveries).SelectMany(x => x.First.PaperIds.Select(paperId =>
                new DigestPaper { SubscriptionId = x.First.SubscriptionId, PaperId = paperId, DeliveryId = x.Second.Id })));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
