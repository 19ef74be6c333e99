using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PaperFeed.Admin;

/// <summary>
/// Until accounts exist (issue #5), administration answers only requests from this machine,
/// as Hangfire's dashboard does.
/// </summary>
public static class AdminAccess
{
    public static bool IsAllowed(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null) return false;
        return System.Net.IPAddress.IsLoopback(remote) || remote.Equals(context.Connection.LocalIpAddress);
    }
}

/// <summary>Put on a page model: 403 for any request that is not local.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LocalAdminOnlyAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!AdminAccess.IsAllowed(context.HttpContext))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }
}
