using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Accounts;

/// <summary>The Admin policy's requirement: the signed-in user holds the Admin role now, in the database.</summary>
public sealed class AdminRequirement : IAuthorizationRequirement;

/// <summary>
/// Reads the role from the database rather than the cookie's claims, so a promotion or a demotion takes effect on
/// the next request instead of when the cookie is next refreshed. One small query, remembered for the request.
/// </summary>
public sealed class AdminRequirementHandler(CatalogDbContext db) : AuthorizationHandler<AdminRequirement>
{
    private readonly Dictionary<string, bool> _known = [];

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId) return;
        if (!_known.TryGetValue(userId, out var isAdmin))
        {
            isAdmin = await db.UserRoles.AnyAsync(ur => ur.UserId == userId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin));
            _known[userId] = isAdmin;
        }
        if (isAdmin) context.Succeed(requirement);
    }
}

public static class AdminAuthorizationExtensions
{
    /// <summary>For views and handlers that show or refuse administration: the same check as the Admin policy.</summary>
    public static async Task<bool> IsAdminAsync(this IAuthorizationService authorization, ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(user, AccountsExtensions.AdminPolicy)).Succeeded;
}
