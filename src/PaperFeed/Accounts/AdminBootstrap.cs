using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace PaperFeed.Accounts;

/// <summary>Makes sure the Admin role exists and that the configured first administrator holds it once confirmed.</summary>
public sealed class AdminBootstrap(RoleManager<IdentityRole> roles, UserManager<User> users, IOptions<AdminOptions> options, ILogger<AdminBootstrap> logger)
{
    public async Task EnsureAsync()
    {
        if (!await roles.RoleExistsAsync(Roles.Admin)) await roles.CreateAsync(new IdentityRole(Roles.Admin));
        if (options.Value.Email is not { Length: > 0 } email) return;
        var user = await users.FindByEmailAsync(email);
        if (user is { EmailConfirmed: true } && !await users.IsInRoleAsync(user, Roles.Admin))
        {
            await users.AddToRoleAsync(user, Roles.Admin);
            logger.LogInformation("{Email} is an administrator (Admin:Email)", email);
        }
    }
}
