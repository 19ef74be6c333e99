using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.ForYou;
using PaperFeed.Data;
using PaperFeed.Feeds;
using PaperFeed.Site;

namespace PaperFeed.Pages.Account;

/// <summary>GET /account/saved?format=bibtex|ris|csl: all the reader's saved papers, newest first, as a citation file; the list itself is on /account.</summary>
[Authorize]
public sealed class SavedModel(CatalogDbContext db, IOptions<AppOptions> site) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? format, CancellationToken ct)
    {
        if (format is null) return Redirect("/account#saved-heading");
        if (!FeedWriter.TryParse(format, out var export) || !FeedWriter.IsExport(export)) return BadRequest();
        var reader = User.ReaderId()!;
        var ids = await db.SavedPapers.AsNoTracking().Where(s => s.UserId == reader && !s.Paper.Hidden)
            .OrderByDescending(s => s.SavedAt).Select(s => s.PaperId).ToListAsync(ct);
        var root = (site.Value.BaseUrl ?? $"{Request.Scheme}://{Request.Host}").TrimEnd('/');
        return new CitationExport(export, ids, "saved papers", root);
    }
}
