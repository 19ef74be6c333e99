using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PaperFeed.Health;

/// <summary>Hangfire's storage answers (in memory with SQLite; the hangfire schema in PostgreSQL).</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Hangfire's storage API is synchronous: keep it off the request thread.
            var servers = await Task.Run(() => storage.GetMonitoringApi().Servers().Count, cancellationToken);
            return HealthCheckResult.Healthy($"job storage answers ({servers} job servers)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"job storage unreachable: {ex.GetBaseException().Message}");
        }
    }
}
