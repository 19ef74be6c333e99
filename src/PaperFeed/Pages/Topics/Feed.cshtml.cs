using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;
using PaperFeed.Site;
using PaperFeed.Topics;

namespace PaperFeed.Pages.Topics;

/// <summary>/topics/{slug}: the papers of one topic, with the request's filter (sort, q, from/to) on top; also as a feed.</summary>
[OutputCache(PolicyName = PageCache.Policy)]
public sealed class FeedModel(CatalogDbContext db, IOptions<AppOptions> site, VoteState votes) : PageModel
{
    public Topic Topic { get; private set; } = null!;
    public ListView View { get; private set; } = null!;
    /// <summary>For a signed-in reader: whether they follow this topic (null for a visitor: no button, and the page stays cacheable).</summary>
    public bool? Following { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        slug = slug.ToLowerInvariant(); // slugs are lower-case, as topic= values are read
        var topic = await db.Topics.AsNoTracking().SingleOrDefaultAsync(t => t.Slug == slug, ct);
        if (topic is null) return NotFound();
        if (!PaperFilter.TryRead(Request.Query, out var filter, out var problem)) return this.BadRequestBecause(problem);
        if (!ModelState.IsValid || page is < 1 or > PaperList.MaxNumberedPage
            || !PaperList.TryReadCursor(Request.Query, filter.Sort, out var cursor)) return BadRequest();
        filter = filter.ForReader(User);
        Topic = topic;
        // The topic belongs to the path, not to the filter, so the filter chips and links never offer to remove it.
        var list = await PaperList.LoadAsync(db, filter, page ?? 1, site.Value.PageSize, ct, topicId: topic.Id, cursor: cursor, reader: User.ReaderId());
        View = new ListView(list, "/topics/" + topic.Slug, $"Papers on {topic.Name}");
        if (ListView.AsFeed(this, format, View, site.Value.BaseUrl) is { } feed) return feed;
        await votes.LoadAsync(View.List.Papers.Select(p => p.Id), ct);
        if (User.ReaderId() is { } reader)
            Following = await db.ReaderRules.AnyAsync(r => r.UserId == reader && r.Kind == RuleKind.FollowTopic && r.Value == topic.Slug, ct);
        return Page();
    }
}
