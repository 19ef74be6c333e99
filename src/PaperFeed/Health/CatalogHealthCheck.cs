using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PaperFeed.Data;

namespace PaperFeed.Health;

/// <summary>The catalog answers a query (SQLite: the file opens; PostgreSQL: the server accepts a connection).</summary>
public sealed class CatalogHealthCheck(CatalogDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy("catalog answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"catalog unreachable: {ex.GetBaseException().Message}");
        }
    }
}
