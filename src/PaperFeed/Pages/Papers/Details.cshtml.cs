using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Votes;
using PaperFeed.Accounts;
using PaperFeed.Comments;
using PaperFeed.Data;
using PaperFeed.Embeddings;
using PaperFeed.Papers;
using PaperFeed.Site;
using PaperFeed.Topics;

namespace PaperFeed.Pages.Papers;

[OutputCache(PolicyName = PageCache.Policy)]
public sealed class DetailsModel(CatalogDbContext db, PaperAdmin admin, IAuthorizationService authorization, EmbeddingIndex embeddings,
    IOptions<EmbeddingsOptions> embeddingOptions, UserManager<User> users, VoteState votes, TimeProvider time) : PageModel
{
    public Paper Paper { get; private set; } = null!;
    public List<ListedOn> Days { get; private set; } = [];
    public List<string> SourceNames { get; private set; } = [];
    public List<RelatedPaper> Related { get; private set; } = [];
    public string BibTeX { get; private set; } = "";
    public string Citation { get; private set; } = "";
    public List<TopicLink> Topics { get; private set; } = [];
    public bool IsAdmin { get; private set; }
    public Discussion Discussion { get; private set; } = null!;
    /// <summary>For a signed-in reader: whether they watch and saved this paper (saving offers watching).</summary>
    public bool Watching { get; private set; }
    public bool SavedByReader { get; private set; }
    /// <summary>For a signed-in reader: the authors of this paper they follow (null for a visitor: no follow form).</summary>
    public HashSet<string>? FollowedAuthors { get; private set; }
    /// <summary>After an administrator's hide or merge. Read for signed-in readers only: touching TempData answers with a
    /// cookie, and a response with a cookie is never output-cached.</summary>
    public string? Message { get; private set; }

    /// <summary>Related papers shown; a neighbour by embedding needs this cosine at least.</summary>
    private const int RelatedShown = 5;
    private const float RelatedMinScore = 0.3f;

    public sealed record ListedOn(DateOnly Day, string Source, string? AnnounceType);
    public sealed record TopicLink(string Slug, string Name, TopicKind Kind, int SortOrder);

    public sealed record RelatedPaper(string Key, string Title, List<string> Authors)
    {
        public string Url => PaperLinks.PagePath(Key, Title);
        public string AuthorLine => Authors.Count <= PaperCard.AuthorsShown ? string.Join(", ", Authors)
            : string.Join(", ", Authors.Take(PaperCard.AuthorsShown)) + $" +{Authors.Count - PaperCard.AuthorsShown}";
    }

    public async Task<IActionResult> OnGetAsync(string id, string? comments, CancellationToken ct)
    {
        IsAdmin = await authorization.IsAdminAsync(User);
        if (User.Identity?.IsAuthenticated == true) Message = TempData[nameof(Message)] as string;
        var paper = await db.Papers.AsNoTracking().ByRouteId(id).SingleOrDefaultAsync(ct);
        // A hidden paper is gone for visitors; administrators still reach it to unhide or merge it.
        if (paper is null || (paper.Hidden && !IsAdmin)) return NotFound();
        // A paper known by its title is read at its title's address; the old "title:<hash>" one leads there.
        if (PaperLinks.Slug(paper.Key, paper.Title) is not null && id == paper.Key)
            return RedirectPermanent(PaperLinks.PagePath(paper.Key, paper.Title) + Request.QueryString);
        Paper = paper;
        Days = await db.Listings.AsNoTracking().Where(l => l.PaperId == paper.Id)
            .OrderBy(l => l.Day).Select(l => new ListedOn(l.Day, PaperFeed.Sources.Source.ReaderName(l.Source.Name, l.Source.Kind), l.AnnounceType)).ToListAsync(ct);
        SourceNames = await db.PaperSources.AsNoTracking().Where(s => s.PaperId == paper.Id)
            .OrderBy(s => s.FirstSeenAt).Select(s => PaperFeed.Sources.Source.ReaderName(s.Source.Name, s.Source.Kind)).ToListAsync(ct);
        // Nearest by embedding when the paper has a vector (an in-memory scan); else the tf-idf neighbours the
        // related-papers job stored.
        if (embeddingOptions.Value.Enabled)
        {
            var nearest = (await embeddings.NearestToPaperAsync(db, paper.Id, RelatedShown + 3, RelatedMinScore, ct)).Select(n => n.PaperId).ToList();
            var found = await db.Papers.AsNoTracking().Where(p => nearest.Contains(p.Id) && !p.Hidden)
                .Select(p => new { p.Id, Related = new RelatedPaper(p.Key, p.Title, p.Authors) }).ToListAsync(ct);
            Related = [.. nearest.Select(id => found.Find(f => f.Id == id)?.Related).OfType<RelatedPaper>().Take(RelatedShown)];
        }
        if (Related.Count == 0) Related = await db.PaperNeighbors.AsNoTracking().Where(n => n.PaperId == paper.Id && !n.Neighbor.Hidden)
            .OrderBy(n => n.Rank).Select(n => new RelatedPaper(n.Neighbor.Key, n.Neighbor.Title, n.Neighbor.Authors)).ToListAsync(ct);
        BibTeX = PaperFeed.Papers.BibTeX.Format(paper);
        Citation = PaperFeed.Papers.BibTeX.PlainCitation(paper);
        var topics = await db.PaperTopics.AsNoTracking().Where(pt => pt.PaperId == paper.Id)
            .Select(pt => new TopicLink(pt.Topic.Slug, pt.Topic.Name, pt.Topic.Kind, pt.Topic.SortOrder)).ToListAsync(ct);
        // Curated topics first: they say more about a paper than its arXiv categories.
        Topics = [.. topics.OrderBy(t => t.Kind == TopicKind.Curated ? 0 : 1).ThenBy(t => t.SortOrder)];
        var reader = users.GetUserId(User);
        Discussion = await Discussion.LoadAsync(db, paper.Id, reader, IsAdmin, Discussion.OrderFrom(comments), ct);
        if (reader is not null)
        {
            await PaperFeed.ForYou.OpenedPapers.RecordAsync(db, reader, paper.Id, time.GetUtcNow().UtcDateTime, ct);
            Watching = await db.PaperWatches.AnyAsync(w => w.UserId == reader && w.PaperId == paper.Id, ct);
            var authors = paper.Authors;
            FollowedAuthors = (await db.ReaderRules.AsNoTracking()
                .Where(r => r.UserId == reader && r.Kind == PaperFeed.ForYou.RuleKind.FollowAuthor && authors.Contains(r.Value)).Select(r => r.Value).ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal);
        }
        await votes.LoadAsync([paper.Id], ct);
        SavedByReader = votes.HasSaved(paper.Id);
        return Page();
    }

    public async Task<IActionResult> OnPostHideAsync(string id, bool hidden, CancellationToken ct)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        var paper = await db.Papers.AsNoTracking().ByRouteId(id).Select(p => new { p.Id, p.Key, p.Title }).SingleOrDefaultAsync(ct);
        if (paper is null) return NotFound();
        await admin.SetHiddenAsync(paper.Id, hidden, ct);
        TempData[nameof(Message)] = hidden ? "The paper is hidden from every list." : "The paper is visible again.";
        return Redirect(PaperLinks.PagePath(paper.Key, paper.Title));
    }

    /// <summary>The Admin policy, for two handlers of a page anyone may read: sign in first, else 403.</summary>
    private async Task<IActionResult?> RefuseUnlessAdminAsync()
    {
        // After signing in, back to the paper itself: a GET with ?handler=Hide would match no handler.
        if (User.Identity?.IsAuthenticated != true) return Challenge(new AuthenticationProperties { RedirectUri = Request.Path });
        // Forbid() goes through the cookie scheme, whose access-denied event answers a plain 403.
        return await authorization.IsAdminAsync(User) ? null : Forbid();
    }

    /// <summary>Merges this paper into another one (given by arXiv id or key) and shows the one kept.</summary>
    public async Task<IActionResult> OnPostMergeAsync(string id, string? into, CancellationToken ct)
    {
        if (await RefuseUnlessAdminAsync() is { } refused) return refused;
        var paper = await db.Papers.AsNoTracking().ByRouteId(id).Select(p => new { p.Id, p.Key, p.Title }).SingleOrDefaultAsync(ct);
        if (paper is null) return NotFound();
        var target = string.IsNullOrWhiteSpace(into) ? null
            : await db.Papers.AsNoTracking().ByRouteId(into.Trim()).Select(p => new { p.Id, p.Key, p.ArxivId }).SingleOrDefaultAsync(ct);
        if (target is null)
        {
            TempData[nameof(Message)] = "No paper with that id to merge into.";
            return Redirect(PaperLinks.PagePath(paper.Key, paper.Title));
        }
        var problem = await admin.MergeAsync(paper.Id, target.Id, ct);
        TempData[nameof(Message)] = problem ?? "The two papers are merged.";
        var kept = await db.Papers.AsNoTracking().Where(p => p.Id == (problem == null ? target.Id : paper.Id)).Select(p => new { p.Key, p.Title }).SingleAsync(ct);
        return Redirect(PaperLinks.PagePath(kept.Key, kept.Title));
    }
}
