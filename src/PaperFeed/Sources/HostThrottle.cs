using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Sources;

/// <summary>
/// Spaces requests to a host across every job and app instance: each request claims the next free slot in the
/// database (an optimistic compare-and-set on HostThrottle.NextAllowedAt) and waits for it.
/// </summary>
public sealed class HostThrottler(CatalogDbContext db, TimeProvider time, IOptions<SourcesOptions> options)
{
    public TimeSpan IntervalFor(string host)
    {
        var o = options.Value;
        var throttled = o.ThrottledHosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));
        return TimeSpan.FromSeconds(throttled ? o.ThrottleSeconds : o.PolitenessSeconds);
    }

    public async Task WaitTurnAsync(string host, CancellationToken ct)
    {
        var interval = IntervalFor(host);
        if (interval <= TimeSpan.Zero) return;
        host = host.ToLowerInvariant();
        while (true)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var current = await db.HostThrottles.AsNoTracking().Where(h => h.Host == host).Select(h => (DateTime?)h.NextAllowedAt).SingleOrDefaultAsync(ct);
            DateTime slot;
            if (current is null)
            {
                slot = now;
                db.HostThrottles.Add(new HostThrottle { Host = host, NextAllowedAt = slot + interval });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException)
                {
                    db.ChangeTracker.Clear(); // another instance created the row first: claim a slot through it
                    continue;
                }
                db.ChangeTracker.Clear();
            }
            else
            {
                var previous = current.Value;
                slot = previous > now ? previous : now;
                var next = slot + interval;
                var claimed = await db.HostThrottles.Where(h => h.Host == host && h.NextAllowedAt == previous)
                    .ExecuteUpdateAsync(s => s.SetProperty(h => h.NextAllowedAt, next), ct);
                if (claimed == 0) continue; // someone took that slot: read again
            }
            var wait = slot - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            return;
        }
    }
}
