using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Sources;

namespace PaperFeed.Pages.Sources;

[Authorize(Policy = AccountsExtensions.AdminPolicy)]
public sealed class EditModel(CatalogDbContext db, IOptions<SourcesOptions> options) : PageModel
{
    [BindProperty] public SourceInput Input { get; set; } = new();
    public bool IsNew { get; private set; }

    public sealed class SourceInput
    {
        [Required, StringLength(200)] public string Name { get; set; } = "";
        public SourceKind Kind { get; set; } = SourceKind.Feed;
        [Required, StringLength(2000), Display(Name = "Address")] public string Url { get; set; } = "";
        [StringLength(2000), Display(Name = "Fallback address")] public string? FallbackUrl { get; set; }
        [Range(5, 10_080), Display(Name = "Every (minutes)")] public int IntervalMinutes { get; set; } = 180;
        public bool Curated { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        if (id is null) return Page();
        var source = await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return NotFound();
        Input = new SourceInput { Name = source.Name, Kind = source.Kind, Url = source.Url, FallbackUrl = source.FallbackUrl, IntervalMinutes = source.IntervalMinutes, Curated = source.Curated };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        // The fetcher's own rule, so a private or metadata address is refused here and not only when it runs.
        foreach (var (field, url) in new[] { ("Input.Url", Input.Url), ("Input.FallbackUrl", Input.FallbackUrl) })
            if (!string.IsNullOrEmpty(url) && await SourceAddress.ProblemAsync(url.Trim(), options.Value.AllowPrivateAddresses, ct) is { } problem)
                ModelState.AddModelError(field, problem);
        if (Input.Kind == SourceKind.Import) ModelState.AddModelError("Input.Kind", "Import is not a source that can be scheduled.");
        // Compared as stored (trimmed): the unique index would otherwise refuse " Name" with a 500.
        string? submitted = Input.Name; // null when the field was left empty
        var name = (submitted ?? "").Trim();
        if (await db.Sources.AnyAsync(s => s.Name == name && s.Id != id, ct)) ModelState.AddModelError("Input.Name", "Another source has this name.");
        if (!ModelState.IsValid) return Page();

        var source = id is null ? null : await db.Sources.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (id is not null && source is null) return NotFound();
        if (source is null)
        {
            source = new Source { Name = Input.Name, Url = Input.Url, UserAdded = true };
            db.Sources.Add(source);
        }
        source.Name = Input.Name.Trim();
        source.Kind = Input.Kind;
        source.Url = Input.Url.Trim();
        source.FallbackUrl = string.IsNullOrWhiteSpace(Input.FallbackUrl) ? null : Input.FallbackUrl.Trim();
        source.IntervalMinutes = Input.IntervalMinutes;
        source.Curated = Input.Curated;
        await db.SaveChangesAsync(ct);
        TempData["Message"] = $"{source.Name} saved.";
        return RedirectToPage("Index");
    }
}
