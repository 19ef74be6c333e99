using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Papers;

public static class PaperQueries
{
    public static IQueryable<Paper> ListedBetween(this IQueryable<Paper> papers, DateOnly from, DateOnly to) =>
        papers.Where(p => p.Listings.Any(l => l.Day >= from && l.Day <= to));

    /// <summary>Top first: upvotes, then the newest arrival.</summary>
    public static IOrderedQueryable<Paper> Ranked(this IQueryable<Paper> papers) =>
        papers.OrderByDescending(p => p.Upvotes).ThenByDescending(p => p.Id);

    public static IQueryable<PaperCard> ToCards(this IQueryable<Paper> papers) =>
        papers.Select(p => new PaperCard(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.Organization, p.OrganizationName,
            p.PublishedAt, p.Upvotes, p.NumComments, p.GithubRepo, p.GithubStars, p.ProjectPage, p.AiSummary, p.Abstract, p.Thumbnail));

    public static Task<DateOnly?> LatestDayAsync(this CatalogDbContext db, CancellationToken ct = default) =>
        db.Listings.MaxAsync(l => (DateOnly?)l.Day, ct);

    public static Task<DateOnly?> PreviousDayAsync(this CatalogDbContext db, DateOnly day, CancellationToken ct = default) =>
        db.Listings.Where(l => l.Day < day).MaxAsync(l => (DateOnly?)l.Day, ct);

    public static Task<DateOnly?> NextDayAsync(this CatalogDbContext db, DateOnly day, CancellationToken ct = default) =>
        db.Listings.Where(l => l.Day > day).MinAsync(l => (DateOnly?)l.Day, ct);

    /// <summary>Finds a paper by the id in its URL: an arXiv id (any version) or a stored key.</summary>
    public static IQueryable<Paper> ByRouteId(this IQueryable<Paper> papers, string routeId)
    {
        if (ArxivId.TryParse(routeId, out var id, out _)) return papers.Where(p => p.ArxivId == id);
        return papers.Where(p => p.Key == routeId);
    }
}
