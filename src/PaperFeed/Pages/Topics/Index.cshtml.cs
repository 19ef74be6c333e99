using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Site;
using PaperFeed.Topics;

namespace PaperFeed.Pages.Topics;

/// <summary>/topics: every topic with its number of visible papers, curated topics first, then arXiv categories.</summary>
[OutputCache(PolicyName = PageCache.Policy)]
public sealed class IndexModel(CatalogDbContext db, IAuthorizationService authorization) : PageModel
{
    public List<TopicRow> Curated { get; private set; } = [];
    public List<TopicRow> Categories { get; private set; } = [];
    public bool IsAdmin { get; private set; }
    /// <summary>Set by the topic editor. Read for signed-in readers only: touching TempData answers with a cookie, and a
    /// response with a cookie is never output-cached.</summary>
    public string? Message { get; private set; }

    public sealed record TopicRow(int Id, string Slug, string Name, string? Code, string? Description, int Papers);

    public async Task OnGetAsync(CancellationToken ct)
    {
        IsAdmin = await authorization.IsAdminAsync(User);
        if (User.Identity?.IsAuthenticated == true) Message = TempData[nameof(Message)] as string;
        // Grouped counts for all topics, not one query per topic: every tag, less the tags of hidden papers. Joining every
        // tag to its paper to drop the hidden ones took 2.2 s at 1M papers; counting tags alone ~0.2 s, and the hidden
        // papers come from a partial index.
        var counts = await db.PaperTopics.AsNoTracking()
            .GroupBy(pt => pt.TopicId).Select(g => new { TopicId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.TopicId, g => g.Count, ct);
        var hidden = await db.PaperTopics.AsNoTracking().Where(pt => pt.Paper.Hidden)
            .GroupBy(pt => pt.TopicId).Select(g => new { TopicId = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        foreach (var h in hidden) counts[h.TopicId] -= h.Count;
        var topics = await db.Topics.AsNoTracking().OrderBy(t => t.SortOrder).ThenBy(t => t.Name).ToListAsync(ct);
        TopicRow Row(Topic t) => new(t.Id, t.Slug, t.Name, t.Kind == TopicKind.Category ? t.Phrases.FirstOrDefault() : null,
            t.Description, counts.GetValueOrDefault(t.Id));
        Curated = [.. topics.Where(t => t.Kind == TopicKind.Curated).Select(Row)];
        Categories = [.. topics.Where(t => t.Kind == TopicKind.Category).Select(Row)];
    }
}
