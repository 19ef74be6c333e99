using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PaperFeed.Health;

/// <summary>
/// Probes for orchestrators: /healthz says the process answers (no dependency checked, so a database outage
/// never gets the app restarted); /readyz checks the catalog and the job storage (take it out of rotation).
/// </summary>
public static class HealthExtensions
{
    private const string Ready = "ready";

    public static void AddHealth(this IHostApplicationBuilder builder) =>
        builder.Services.AddHealthChecks()
            // A probe must answer before the orchestrator's own timeout, even while a connection attempt hangs.
            .AddCheck<CatalogHealthCheck>("catalog", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5))
            .AddCheck<JobStorageHealthCheck>("jobs", HealthStatus.Unhealthy, [Ready], TimeSpan.FromSeconds(5));

    public static void MapHealth(this WebApplication app)
    {
        // Probes read: GET and HEAD only (MapHealthChecks answers any method otherwise, a POST included).
        var probeMethods = new HttpMethodMetadata(["GET", "HEAD"]);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting().WithMetadata(probeMethods);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .DisableRateLimiting().WithMetadata(probeMethods);
    }

    /// <summary>Status per check in JSON, reasons without stack traces.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
