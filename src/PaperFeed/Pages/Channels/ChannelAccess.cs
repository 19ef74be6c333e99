using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using PaperFeed.Accounts;
using PaperFeed.Channels;
using PaperFeed.Data;
using PaperFeed.ForYou;

namespace PaperFeed.Pages.Channels;

/// <summary>Which channels a signed-in user may see and change: their own, and the lab's when they are an administrator.</summary>
public static class ChannelAccess
{
    public static async Task<IQueryable<ChatChannel>> VisibleAsync(CatalogDbContext db, IAuthorizationService authorization, ClaimsPrincipal user)
    {
        var me = user.ReaderId();
        var admin = await authorization.IsAdminAsync(user);
        return db.ChatChannels.Where(c => c.OwnerId == me || (admin && c.OwnerId == null));
    }
}
