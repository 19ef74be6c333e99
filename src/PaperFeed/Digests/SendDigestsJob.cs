using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
public sealed class SendDigestsJob(CatalogDbContext db, DigestComposer composer, DigestMessages messages, DigestLinks links, DigestSender sender, TimeProvider time,
    IOptions<AppOptions> site, IOptions<DigestSendingOptions> options, ILogger<SendDigestsJob> logger)
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
    /// Phase 1 alone: a delivery row for each due subscription and period with papers and none yet. Subscribers are read in
    /// pages of <see cref="DigestSendingOptions.ComposeBatchSize"/> by id (memory stays flat however many there are); within a
    /// page, oldest period first (a late digest takes its own period's papers). A period's papers are read once per run.
    /// </summary>
    public async Task<(int Composed, int Empty)> ComposeAsync(Action<string>? progress, CancellationToken ct)
    {
        var o = options.Value;
        var baseUrl = (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');
        int composed = 0, empty = 0;
        var periods = new Dictionary<string, PeriodWork>(StringComparer.Ordinal);
        await foreach (var page in NotComposedAsync(ct))
        foreach (var group in page.GroupBy(x => x.Period).OrderBy(g => g.Key.From))
        {
            var period = group.Key;
            if (!periods.TryGetValue(period.Id, out var work))
                periods[period.Id] = work = new PeriodWork(await DigestSelection.PeriodPapersAsync(db, period, ct));
            var papers = work.Papers;
            // Renders are shared by readers of the same content; ranked readers' contents are mostly distinct, so the cache is bounded.
            if (work.Templates.Count > MaxTemplatesPerPeriod) work.Templates.Clear();
            var templates = work.Templates;
            foreach (var chunk in group.Select(x => x.Subscription).Chunk(o.ComposeBatchSize))
            {
                var sent = await DigestSelection.AlreadySentAsync(db, [.. chunk.Select(s => s.Id)], period, ct);
                // Account holders with signals or follows get the digest ranked for them (ForYou/ReaderModel, Follows), with a reason per paper.
                var signals = await ForYou.ForYouRanking.SignalsAsync(db, [.. chunk.Where(s => s.UserId is not null).Select(s => s.UserId!)], ct);
                var follows = await ForYou.Follows.ForReadersAsync(db, [.. chunk.Where(s => s.UserId is not null).Select(s => s.UserId!)], ct);
                if (signals.Count > 0 || follows.Count > 0) work.TermCounts ??= DigestSelection.TermCounts(papers);
                var termCounts = work.TermCounts;
                // Account holders' mute rules are their account's (the ones the site's lists apply), read for the batch at once.
                var mutes = await ForYou.MuteRules.ForReadersAsync(db, [.. chunk.Where(s => s.UserId is not null).Select(s => s.UserId!)], ct);
                // News of watched papers goes to one digest per reader (the first of theirs composed), recorded with it.
                var news = await Watches.WatchService.PendingAsync(db, [.. chunk.Where(s => s.UserId is not null).Select(s => s.UserId!).Distinct()],
                    baseUrl, time.GetUtcNow().UtcDateTime, ct);
                var newsFor = new Dictionary<long, List<Watches.WatchedUpdate>>();
                foreach (var subscription in chunk)
                    if (subscription.UserId is { } reader && news.Remove(reader, out var theirs)) newsFor[subscription.Id] = theirs;
                // Rendering, signing links and writing the message are CPU work: spread them over the cores; the batch is then recorded at once.
                var at = Micros(time.GetUtcNow().UtcDateTime);
                var digests = new ComposedDigest?[chunk.Length];
                await Parallel.ForEachAsync(Enumerable.Range(0, chunk.Length),
                    new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (i, _) =>
                    {
                        var subscription = chunk[i];
                        var ranked = subscription.UserId is not null && !subscription.SiteOrder && (signals.ContainsKey(subscription.UserId) || follows.ContainsKey(subscription.UserId));
                        var muted = ForYou.MuteRules.ForSubscription(subscription, mutes);
                        var selected = ranked
                            ? DigestSelection.SelectRanked(subscription, papers, sent, signals.GetValueOrDefault(subscription.UserId!) ?? [], termCounts!, muted,
                                follows.GetValueOrDefault(subscription.UserId!))
                            : DigestSelection.Select(subscription, papers, sent, muted).Select(c => (Candidate: c, Reason: (ForYou.RankReason?)null)).ToList();
                        var watched = newsFor.GetValueOrDefault(subscription.Id);
                        if (selected.Count == 0 && watched is null) return;
                        var items = selected.Select(x => subscription.UserId is null ? x.Candidate.ToItem(baseUrl)
                            : x.Candidate.ToItem(baseUrl, x.Reason, links.FeedbackUrl(subscription, x.Candidate.Id, up: true),
                                links.FeedbackUrl(subscription, x.Candidate.Id, up: false))).ToList();
                        // One unsubscribe token for the body's link and the List-Unsubscribe header.
                        var unsubscribe = links.UnsubscribeUrl(subscription);
                        var content = await composer.ComposeAsync(subscription, period, items,
                            new DigestEmailLinks(baseUrl, links.PreferencesUrl(subscription), unsubscribe), site.Value.SiteName, ranked, templates, watched);
                        var messageId = DigestMessages.MessageIdFor(subscription.Id, period.Id, site.Value.BaseUrl);
                        var mime = messages.Write(new PendingDelivery(0, messageId, content.Subject, content.Html, content.Text, at, 0, subscription.Id,
                            subscription.Email, subscription.Status), unsubscribe);
                        digests[i] = new ComposedDigest(subscription.Id, period.Id, messageId, content.Subject, mime, [.. selected.Select(x => x.Candidate.Id)])
                        {
                            UserId = subscription.UserId, ChangeIds = watched?.SelectMany(w => w.ChangeIds).ToList() ?? [],
                        };
                    });
                empty += digests.Count(d => d is null);
                composed += await RecordAsync([.. digests.OfType<ComposedDigest>()], at, ct);
                progress?.Invoke($"composed {composed} digests");
            }
        }
        return (composed, empty);
    }

    /// <summary>
    /// Each active subscription's due periods (catch-up included) with no delivery row yet, a page of subscriptions at a
    /// time (keyset on the id, <see cref="DigestSendingOptions.ComposeBatchSize"/> a page; pages with nothing due are
    /// skipped): what phase 1 composes, and what `digests status` counts as due.
    /// </summary>
    public async IAsyncEnumerable<List<(Subscription Subscription, DigestPeriod Period)>> NotComposedAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var o = options.Value;
        long after = 0;
        while (true)
        {
            var active = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active && s.Id > after)
                .OrderBy(s => s.Id).Take(o.ComposeBatchSize).ToListAsync(ct);
            if (active.Count == 0) yield break;
            after = active[^1].Id;
            var due = active.SelectMany(s => DigestPeriod.Due(s, now, o.CatchUpDays).Select(p => (Subscription: s, Period: p))).ToList();
            if (due.Count == 0) continue;
            var subscriptionIds = due.Select(x => x.Subscription.Id).Distinct().ToList();
            var periodIds = due.Select(x => x.Period.Id).Distinct().ToList();
            var done = (await db.DigestDeliveries.Where(d => subscriptionIds.Contains(d.SubscriptionId) && periodIds.Contains(d.Period))
                    .Select(d => new { d.SubscriptionId, d.Period }).ToListAsync(ct))
                .Select(d => (d.SubscriptionId, d.Period)).ToHashSet();
            var page = due.Where(x => !done.Contains((x.Subscription.Id, x.Period.Id))).ToList();
            if (page.Count > 0) yield return page;
        }
    }

    private const int MaxTemplatesPerPeriod = 1000;

    /// <summary>What a run reads or makes once per period and shares across its pages of subscribers.</summary>
    private sealed class PeriodWork(List<PeriodPaper> papers)
    {
        public List<PeriodPaper> Papers { get; } = papers;
        /// <summary>Made when a subscriber of the period first has signals (ranked digests).</summary>
        public Dictionary<long, Dictionary<int, int>>? TermCounts { get; set; }
        /// <summary>One render per distinct content (readers with the same papers, and reasons when ranked); filled per reader.</summary>
        public ConcurrentDictionary<string, Task<DigestTemplate>> Templates { get; } = new(StringComparer.Ordinal);
    }

    private sealed record ComposedDigest(long SubscriptionId, string Period, string MessageId, string Subject, byte[] Mime, List<long> PaperIds)
    {
        public string? UserId { get; init; }
        /// <summary>The watched papers' changes this digest tells its reader of (Watches/WatchReport).</summary>
        public List<long> ChangeIds { get; init; } = [];
    }

    /// <summary>PostgreSQL keeps microseconds: the stored CreatedAt and the message's Date header come from the same value.</summary>
    private static DateTime Micros(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);

    /// <summary>
    /// The deliveries and their papers in one transaction. When another run recorded one of them first (the unique
    /// (subscription, period) index), the batch is recorded again one digest at a time, skipping those.
    /// </summary>
    private async Task<int> RecordAsync(List<ComposedDigest> digests, DateTime at, CancellationToken ct)
    {
        if (digests.Count == 0) return 0;
        try
        {
            await RecordTogetherAsync(digests, at, ct);
            return digests.Count;
        }
        catch (DbException) when (digests.Count > 1)
        {
            var recorded = 0;
            foreach (var digest in digests)
            {
                try
                {
                    await RecordTogetherAsync([digest], at, ct);
                    recorded++;
                }
                catch (DbException ex)
                {
                    logger.LogInformation("Digest {Period} for subscription {SubscriptionId} already recorded elsewhere: {Reason}",
                        digest.Period, digest.SubscriptionId, ex.Message);
                }
            }
            return recorded;
        }
    }

    private const int RowsPerStatement = 500;

    /// <summary>
    /// Multi-row INSERTs (the deliveries with RETURNING their ids, then their papers), the same SQL on SQLite and PostgreSQL:
    /// EF's change tracker and per-row commands cost ~1 ms per digest here, more than composing it.
    /// </summary>
    private async Task RecordTogetherAsync(List<ComposedDigest> digests, DateTime at, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = new Dictionary<long, long>(digests.Count); // subscription → delivery: a batch holds one period
        foreach (var part in digests.Chunk(RowsPerStatement))
        {
            await using var insert = Command(transaction);
            var sql = new StringBuilder("""INSERT INTO "DigestDeliveries" ("SubscriptionId", "Period", "CreatedAt", "MessageId", "Subject", "Text", "Mime", "Attempts", "Abandoned") VALUES """);
            for (var i = 0; i < part.Length; i++)
            {
                var d = part[i];
                // The stored message replaces the HTML and text columns (kept for rows composed before it): Text '' is "see Mime".
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}({d.SubscriptionId}, @p{i}, @at, @m{i}, @s{i}, '', @b{i}, 0, FALSE)");
                insert.AddParameter($"@p{i}", d.Period);
                insert.AddParameter($"@m{i}", d.MessageId);
                insert.AddParameter($"@s{i}", d.Subject);
                insert.AddParameter($"@b{i}", d.Mime);
            }
            insert.AddParameter("@at", at);
            insert.CommandText = sql.Append(""" RETURNING "Id", "SubscriptionId" """).ToString();
            await using var reader = await insert.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids[reader.GetInt64(1)] = reader.GetInt64(0);
        }
        // Ids and numbers only: written as literals.
        foreach (var part in digests.SelectMany(d => d.PaperIds.Select(p => (d.SubscriptionId, PaperId: p, DeliveryId: ids[d.SubscriptionId]))).Chunk(RowsPerStatement))
        {
            await using var insert = Command(transaction);
            insert.CommandText = """INSERT INTO "DigestPapers" ("SubscriptionId", "PaperId", "DeliveryId") VALUES """ +
                string.Join(", ", part.Select(r => string.Create(CultureInfo.InvariantCulture, $"({r.SubscriptionId}, {r.PaperId}, {r.DeliveryId})")));
            await insert.ExecuteNonQueryAsync(ct);
        }
        // What each reader was told of their watched papers, with the digest that tells it: never told twice, never lost.
        foreach (var part in digests.SelectMany(d => d.ChangeIds.Select(c => (d.UserId, ChangeId: c, DeliveryId: ids[d.SubscriptionId]))).Chunk(RowsPerStatement))
        {
            await using var insert = Command(transaction);
            var sql = new StringBuilder("""INSERT INTO "WatchReports" ("UserId", "ChangeId", "DeliveryId") VALUES """);
            for (var i = 0; i < part.Length; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}(@u{i}, {part[i].ChangeId}, {part[i].DeliveryId})");
                insert.AddParameter($"@u{i}", part[i].UserId!);
            }
            insert.CommandText = sql.ToString();
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private DbCommand Command(IDbContextTransaction transaction)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        return command;
    }
}
