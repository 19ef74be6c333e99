using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Data;
using PaperFeed.ForYou;

namespace PaperFeed.Pages.ForYou;

/// <summary>
/// /lab: this week's papers nearest each member who opted in, and those relevant to someone that no such member opened.
/// Signed-in members only: it shows what colleagues are interested in, which is personal even on the lab's own server.
/// </summary>
[Authorize]
public sealed class LabModel(CatalogDbContext db) : PageModel
{
    public LabWeek? Week { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Week = await Lab.LoadAsync(db, ct);
}
