using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Votes;

/// <summary>What the vote and save endpoints answer, shared so both behave alike.</summary>
public static class ReaderActionResults
{
    /// <summary>A GET never changes anything: after signing in from a button, the reader lands on the paper.</summary>
    public static async Task<IActionResult> ToPaperAsync(this PageModel page, CatalogDbContext db, long paperId, CancellationToken ct)
    {
        var key = await db.Papers.Where(p => p.Id == paperId).Select(p => p.Key).SingleOrDefaultAsync(ct);
        return key is null ? page.NotFound() : page.LocalRedirect(PaperLinks.PagePath(key));
    }

    /// <summary>JSON for the page's script; otherwise back to the (local) page the form came from: Post/Redirect/Get.</summary>
    public static IActionResult JsonOrBack(this PageModel page, object json, string? returnUrl)
    {
        if (page.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
            return new JsonResult(json);
        return page.LocalRedirect(page.Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }
}
