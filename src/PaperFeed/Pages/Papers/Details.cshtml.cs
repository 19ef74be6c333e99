using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Pages.Papers;

public sealed class DetailsModel(CatalogDbContext db) : PageModel
{
    public Paper Paper { get; private set; } = null!;
    public List<ListedOn> Days { get; private set; } = [];

    public sealed record ListedOn(DateOnly Day, string Source);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        var paper = await db.Papers.AsNoTracking().ByRouteId(id).SingleOrDefaultAsync(ct);
        if (paper is null) return NotFound();
        Paper = paper;
        Days = await db.Listings.AsNoTracking().Where(l => l.PaperId == paper.Id)
            .OrderBy(l => l.Day).Select(l => new ListedOn(l.Day, l.Source.Name)).ToListAsync(ct);
        return Page();
    }
}
