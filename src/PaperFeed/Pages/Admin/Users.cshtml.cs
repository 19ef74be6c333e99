using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;

namespace PaperFeed.Pages.Admin;

/// <summary>/admin/users: every account, and the Admin role given or taken away.</summary>
[Authorize(Policy = AccountsExtensions.AdminPolicy)]
public sealed class UsersModel(CatalogDbContext db, UserManager<User> users, ILogger<UsersModel> logger) : PageModel
{
    public List<UserRow> Users { get; private set; } = [];
    public string? MyId { get; private set; }
    [TempData] public string? Message { get; set; }

    public sealed record UserRow(string Id, string Email, bool Confirmed, DateTime CreatedAt, bool IsAdmin, int Votes);

    public async Task OnGetAsync(CancellationToken ct)
    {
        MyId = users.GetUserId(User);
        var adminRoleId = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleOrDefaultAsync(ct);
        Users = await db.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ThenBy(u => u.Email)
            .Select(u => new UserRow(u.Id, u.Email ?? u.UserName ?? "", u.EmailConfirmed, u.CreatedAt,
                db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == adminRoleId),
                db.Votes.Count(v => v.UserId == u.Id)))
            .ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostPromoteAsync(string id) => await SetAdminAsync(id, true);

    public async Task<IActionResult> OnPostDemoteAsync(string id) => await SetAdminAsync(id, false);

    private async Task<IActionResult> SetAdminAsync(string id, bool admin)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null) return NotFound();
        // An administrator cannot remove their own role: there is always someone left to undo a mistake.
        if (!admin && user.Id == users.GetUserId(User))
        {
            Message = "You cannot demote yourself; ask another administrator.";
            return RedirectToPage();
        }
        var isAdmin = await users.IsInRoleAsync(user, Roles.Admin);
        if (isAdmin != admin)
        {
            var result = admin ? await users.AddToRoleAsync(user, Roles.Admin) : await users.RemoveFromRoleAsync(user, Roles.Admin);
            if (!result.Succeeded)
            {
                Message = string.Join(" ", result.Errors.Select(e => e.Description));
                return RedirectToPage();
            }
            logger.LogInformation("{Email} is {Change} by {Admin}", user.Email, admin ? "an administrator" : "no longer an administrator", User.Identity?.Name);
        }
        Message = admin ? $"{user.Email} is an administrator." : $"{user.Email} is no longer an administrator.";
        return RedirectToPage();
    }
}
