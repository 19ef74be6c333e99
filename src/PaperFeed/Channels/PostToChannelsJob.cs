using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Site;

namespace PaperFeed.Channels;

/// <summary>Counts of one run.</summary>
public sealed record ChannelRunResult(int Channels, int Posted, int Failed);

/// <summary>
/// Each enabled channel that is due posts its view's new papers. At most once: the papers are recorded (with a delivery
/// key) before the send, so a crash between the two loses that post rather than posting it twice. A refused send
/// deletes what it recorded (the papers are tried again) and backs off 5 min × 2^(failures − 1), at most 6 h.
/// </summary>
public sealed class PostToChannelsJob(CatalogDbContext db, ChatSender sender, TimeProvider time, IOptions<AppOptions> site,
    ILogger<PostToChannelsJob> logger)
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMinutes(5), MaxBackoff = TimeSpan.FromHours(6);

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) => RunOnceAsync(ct);

    public async Task<ChannelRunResult> RunOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.ChatChannels.Where(c => c.Enabled && (c.NextAttemptAt == null || c.NextAttemptAt <= now))
            .OrderBy(c => c.Id).ToListAsync(ct);
        int posted = 0, failed = 0;
        foreach (var channel in due)
        {
            var (count, error) = await PostAsync(channel, now, ct);
            posted += count;
            if (error is not null) failed++;
        }
        if (due.Count > 0)
            logger.LogInformation("Channels: {Channels} due, {Posted} papers posted, {Failed} failed", due.Count, posted, failed);
        return new(due.Count, posted, failed);
    }

    /// <summary>Posts one channel's new papers now (the job, or the page's test send); the channel row is updated and saved.</summary>
    public async Task<(int Posted, string? Error)> PostAsync(ChatChannel channel, DateTime now, CancellationToken ct)
    {
        var view = ChannelView.TryRead(channel.View, out var problem);
        if (view is null) return await FailedAsync(channel, now, problem!, null, ct);
        var papers = await view.PapersAsync(db, channel.OwnerId, DateOnly.FromDateTime(now), ct);
        var ids = papers.Select(p => p.Id).ToList();
        var done = (await db.ChannelPosts.Where(p => p.ChannelId == channel.Id && ids.Contains(p.PaperId)).Select(p => p.PaperId).ToListAsync(ct)).ToHashSet();
        var fresh = papers.Where(p => !done.Contains(p.Id)).ToList();
        if (fresh.Count == 0) return await SucceededAsync(channel, now, 0, ct);

        // Recorded first, in one transaction (SaveChanges): a second run or instance finds them and skips them.
        var key = Guid.NewGuid().ToString("N");
        db.ChannelPosts.AddRange(fresh.Select(p => new ChannelPost { ChannelId = channel.Id, PaperId = p.Id, DeliveryKey = key, PostedAt = now }));
        await db.SaveChangesAsync(ct);

        var baseUrl = (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');
        var viewUrl = baseUrl + (channel.View == ChatChannel.ForYouView ? "/for-you" : channel.View);
        var messages = ChatMessages.Compose(channel.Service, new ChatPost(view.Title, viewUrl, fresh, baseUrl));
        var result = await sender.SendAsync(new ChatTarget(channel.Service, channel.WebhookUrl, channel.MatrixRoom, channel.MatrixToken), messages, key, ct);
        if (result.Succeeded) return await SucceededAsync(channel, now, fresh.Count, ct);
        // Nothing accepted: forget the rows so the papers go out on the retry. Part accepted: keep them all (never twice).
        if (result.Accepted == 0) await db.ChannelPosts.Where(p => p.ChannelId == channel.Id && p.DeliveryKey == key).ExecuteDeleteAsync(ct);
        return await FailedAsync(channel, now, result.Error!, result.RetryAfter, ct);
    }

    public static TimeSpan Backoff(int consecutiveFailures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Clamp(consecutiveFailures - 1, 0, 20)));

    private async Task<(int, string?)> SucceededAsync(ChatChannel channel, DateTime now, int count, CancellationToken ct)
    {
        channel.LastSuccessAt = now;
        channel.ConsecutiveFailures = 0;
        channel.LastError = null;
        channel.NextAttemptAt = null;
        if (count > 0) channel.LastPostedCount = count;
        await db.SaveChangesAsync(ct);
        return (count, null);
    }

    private async Task<(int, string?)> FailedAsync(ChatChannel channel, DateTime now, string error, TimeSpan? retryAfter, CancellationToken ct)
    {
        channel.ConsecutiveFailures++;
        channel.LastFailureAt = now;
        channel.LastError = error.Length > 1000 ? error[..1000] : error;
        var wait = Backoff(channel.ConsecutiveFailures);
        if (retryAfter is { } r && r > wait) wait = r < MaxBackoff ? r : MaxBackoff;
        channel.NextAttemptAt = now + wait;
        await db.SaveChangesAsync(ct);
        // The channel's name and id only: its address is a secret.
        logger.LogWarning("Channel {ChannelId} failed ({Failures} in a row): {Error}", channel.Id, channel.ConsecutiveFailures, channel.LastError);
        return (0, error);
    }
}
