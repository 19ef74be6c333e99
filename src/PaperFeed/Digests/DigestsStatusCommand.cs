using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Cli;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>`digests status`: subscriptions and deliveries by state; "due" is the job's own <see cref="SendDigestsJob.NotComposedAsync"/>.</summary>
public sealed class DigestsStatusCommand() : OperatorCommand("status", "subscriptions, due, pending, sent and failed digests", "usage: digests status")
{
    protected override async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct)
    {
        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var dueNow = 0;
        await foreach (var page in scope.ServiceProvider.GetRequiredService<SendDigestsJob>().NotComposedAsync(ct)) dueNow += page.Count;
        var active = await db.Subscriptions.CountAsync(s => s.Status == SubscriptionStatus.Active, ct);
        var since = now.UtcDateTime.Date;
        var pending = await db.DigestDeliveries.CountAsync(d => d.SentAt == null && !d.Abandoned, ct);
        var retrying = await db.DigestDeliveries.CountAsync(d => d.SentAt == null && !d.Abandoned && d.LastError != null, ct);
        var sentToday = await db.DigestDeliveries.CountAsync(d => d.SentAt >= since, ct);
        var abandoned = await db.DigestDeliveries.CountAsync(d => d.Abandoned, ct);
        var suspended = await db.Subscriptions.CountAsync(s => s.Status == SubscriptionStatus.Suspended, ct);
        Console.WriteLine($"active subscriptions: {active}");
        Console.WriteLine($"due now (not composed yet): {dueNow}");
        Console.WriteLine($"pending deliveries: {pending} ({retrying} failed, waiting for a retry)");
        Console.WriteLine($"sent today (UTC): {sentToday}");
        Console.WriteLine($"failed/abandoned deliveries: {abandoned}");
        Console.WriteLine($"suspended subscriptions: {suspended}");
        return 0;
    }
}
