using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Papers;

public static class PaperQueries
{
    /// <summary>What every list starts from: papers an administrator has not hidden.</summary>
    public static IQueryable<Paper> Visible(this IQueryable<Paper> papers) => papers.Where(p => !p.Hidden);

    public static IQueryable<Paper> ListedBetween(this IQueryable<Paper> papers, DateOnly from, DateOnly to) =>
        papers.Where(p => p.Listings.Any(l => l.Day >= from && l.Day <= to));

    public static IQueryable<Paper> ListedOn(this IQueryable<Paper> papers, DateOnly day, int? sourceId = null) =>
        sourceId is { } id
            ? papers.Where(p => p.Listings.Any(l => l.Day == day && l.SourceId == id))
            : papers.Where(p => p.Listings.Any(l => l.Day == day));

    /// <summary>Featured on a day: listed by a curated source (HF Daily Papers), or upvoted past the threshold.</summary>
    /// <remarks>Written as "listed that day, and then …" so the planner starts from the day's listings (an index range)
    /// rather than testing the upvotes of every paper.</remarks>
    public static IQueryable<Paper> FeaturedOn(this IQueryable<Paper> papers, DateOnly day, int upvotes) =>
        papers.ListedOn(day).Where(p => p.Upvotes >= upvotes || p.Listings.Any(l => l.Day == day && l.Source.Curated));

    /// <summary>Top first: PaperFeed votes, then upstream (HF) upvotes, then the newest arrival.</summary>
    public static IOrderedQueryable<Paper> Ranked(this IQueryable<Paper> papers) =>
        papers.OrderByDescending(p => p.VoteCount).ThenByDescending(p => p.Upvotes).ThenByDescending(p => p.Id);

    public static IQueryable<PaperCard> ToCards(this IQueryable<Paper> papers) =>
        papers.Select(p => new PaperCard(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.Organization, p.OrganizationName,
            p.PublishedAt, p.Upvotes, p.NumComments, p.GithubRepo, p.GithubStars, p.ProjectPage, p.AiSummary, p.Abstract, p.Thumbnail, p.VoteCount,
            p.SubmittedByName ?? p.SubmittedBy) { CommentCount = p.CommentCount });

    // ORDER BY … LIMIT 1 rather than MAX/MIN: the planner walks the listings' day index from the end and stops at the
    // first visible paper; an aggregate over a join made it hash every listing with every paper (seconds at 1M papers).
    public static Task<DateOnly?> LatestDayAsync(this CatalogDbContext db, CancellationToken ct = default) =>
        db.Listings.Where(l => !l.Paper.Hidden).OrderByDescending(l => l.Day).Select(l => (DateOnly?)l.Day).FirstOrDefaultAsync(ct);

    public static Task<DateOnly?> PreviousDayAsync(this CatalogDbContext db, DateOnly day, CancellationToken ct = default) =>
        db.Listings.Where(l => l.Day < day && !l.Paper.Hidden).OrderByDescending(l => l.Day).Select(l => (DateOnly?)l.Day).FirstOrDefaultAsync(ct);

    public static Task<DateOnly?> NextDayAsync(this CatalogDbContext db, DateOnly day, CancellationToken ct = default) =>
        db.Listings.Where(l => l.Day > day && !l.Paper.Hidden).OrderBy(l => l.Day).Select(l => (DateOnly?)l.Day).FirstOrDefaultAsync(ct);

    /// <summary>Finds a paper by the id in its URL: an arXiv id (any version) or a stored key.</summary>
    public static IQueryable<Paper> ByRouteId(this IQueryable<Paper> papers, string routeId)
    {
        if (ArxivId.TryParse(routeId, out var id, out _)) return papers.Where(p => p.ArxivId == id);
        var key = PaperLinks.KeyFromSlug(routeId) ?? routeId;
        return papers.Where(p => p.Key == key);
    }
}
