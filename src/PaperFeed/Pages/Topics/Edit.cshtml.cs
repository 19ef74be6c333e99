using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Topics;

namespace PaperFeed.Pages.Topics;

/// <summary>/topics/edit and /topics/edit/{id}: add or edit a curated topic; saving re-tags every paper in the background.</summary>
[Authorize(Policy = AccountsExtensions.AdminPolicy)]
public sealed class EditModel(CatalogDbContext db, IBackgroundJobClient jobs, Jobs.JobServers servers) : PageModel
{
    public const int MaxPhrases = 200;
    public const int MaxPhraseLength = 200;

    [BindProperty] public TopicInput Input { get; set; } = new();
    public bool IsNew { get; private set; }

    public sealed class TopicInput
    {
        [Required, StringLength(200)] public string Name { get; set; } = "";
        [Required, StringLength(TopicSlug.MaxLength)] public string Slug { get; set; } = "";
        /// <summary>One phrase per line.</summary>
        [Required, StringLength(20_000)] public string Phrases { get; set; } = "";
        [StringLength(1000)] public string? Description { get; set; }

        public List<string> PhraseList() =>
            [.. Phrases.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];
    }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        if (id is null) return Page();
        var topic = await db.Topics.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.Kind == TopicKind.Curated, ct);
        if (topic is null) return NotFound();
        Input = new TopicInput { Name = topic.Name, Slug = topic.Slug, Phrases = string.Join('\n', topic.Phrases), Description = topic.Description };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        var slug = Input.Slug.Trim().ToLowerInvariant();
        var phrases = Input.PhraseList();
        if (!TopicSlug.IsValid(slug)) ModelState.AddModelError("Input.Slug", "Use lower-case letters, digits and single hyphens, as in reinforcement-learning.");
        else if (TopicSlug.IsReserved(slug)) ModelState.AddModelError("Input.Slug", "This slug belongs to an arXiv category or a page.");
        else if (await db.Topics.AnyAsync(t => t.Slug == slug && t.Id != id, ct)) ModelState.AddModelError("Input.Slug", "Another topic has this slug.");
        if (phrases.Count is 0 or > MaxPhrases) ModelState.AddModelError("Input.Phrases", $"Write between 1 and {MaxPhrases} phrases, one per line.");
        if (phrases.Any(p => p.Length > MaxPhraseLength)) ModelState.AddModelError("Input.Phrases", $"A phrase has at most {MaxPhraseLength} characters.");
        if (!ModelState.IsValid) return Page();

        var topic = id is null ? null : await db.Topics.SingleOrDefaultAsync(t => t.Id == id && t.Kind == TopicKind.Curated, ct);
        if (id is not null && topic is null) return NotFound();
        if (topic is null)
        {
            var last = await db.Topics.Where(t => t.Kind == TopicKind.Curated).MaxAsync(t => (int?)t.SortOrder, ct);
            topic = new Topic { Slug = slug, Name = Input.Name, Kind = TopicKind.Curated, SortOrder = (last ?? -1) + 1 };
            db.Topics.Add(topic);
        }
        topic.Slug = slug;
        topic.Name = Input.Name.Trim();
        topic.Phrases = phrases;
        topic.Description = string.IsNullOrWhiteSpace(Input.Description) ? null : Input.Description.Trim();
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<RetagJob>(job => job.RunAsync(CancellationToken.None));
        TempData["Message"] = servers.AnyRunning()
            ? $"{topic.Name} saved. Papers are being re-tagged in the background."
            : $"{topic.Name} saved. Re-tagging the papers is queued. {Jobs.JobServers.NoServer}";
        return RedirectToPage("Index");
    }
}
