using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Search;
using PaperFeed.Topics;

namespace PaperFeed.Papers;

/// <summary>One page of a list view: the cards, where we are in the paging, and the filter that made it.</summary>
public sealed class PaperList
{
    public required PaperFilter Filter { get; init; }
    public required List<PaperCard> Papers { get; init; }
    public required int Total { get; init; }
    public required int Page { get; init; }
    public required int PageSize { get; init; }

    /// <summary>A list counts at most this many papers: an exact count of a 400,000-paper topic takes seconds.</summary>
    public const int MaxCounted = 10_000;
    public bool MoreThanCounted => Total > MaxCounted;
    /// <summary>Beyond the counted papers, the pages go on while they are full.</summary>
    public int PageCount => MoreThanCounted ? Page + (Papers.Count == PageSize ? 1 : 0) : Math.Max(1, (Total + PageSize - 1) / PageSize);
    public string TotalText => MoreThanCounted ? $"More than {MaxCounted:N0}" : Total.ToString(System.Globalization.CultureInfo.CurrentCulture);
    /// <summary>"page 3 of 40", or "page 3" when the list is longer than what is counted.</summary>
    public string PageText => MoreThanCounted ? $"page {Page}" : $"page {Page} of {PageCount}";

    /// <param name="period">The days of the view itself (a week, a month), on top of the filter's own from/to.</param>
    /// <param name="topicId">The topic of the view itself (/topics/{slug}), on top of the filter's own topic= values.</param>
    public static async Task<PaperList> LoadAsync(CatalogDbContext db, PaperFilter filter, int page, int pageSize, CancellationToken ct,
        (DateOnly From, DateOnly To)? period = null, int? topicId = null)
    {
        var query = db.Papers.AsNoTracking().Visible().Filtered(db, filter);
        if (period is var (from, to)) query = query.ListedBetween(from, to);
        // By id, not slug: the planner then knows each paper appears once and reads the topic's index in order.
        if (topicId is { } id) query = query.Where(p => p.Topics.Any(t => t.TopicId == id));
        var total = await query.Take(MaxCounted + 1).CountAsync(ct);
        var papers = await query.Sorted(filter.Sort).Skip((page - 1) * pageSize).Take(pageSize).ToCards().ToListAsync(ct);
        return new PaperList { Filter = filter, Papers = papers, Total = total, Page = page, PageSize = pageSize };
    }
}

public static class PaperFilterQueries
{
    public static IQueryable<Paper> Filtered(this IQueryable<Paper> papers, CatalogDbContext db, PaperFilter filter)
    {
        if (filter.From is not null || filter.To is not null)
        {
            var from = filter.From ?? DateOnly.MinValue;
            var to = filter.To ?? DateOnly.MaxValue;
            papers = filter.SourceId is { } source
                ? papers.Where(p => p.Listings.Any(l => l.Day >= from && l.Day <= to && l.SourceId == source))
                : papers.Where(p => p.Listings.Any(l => l.Day >= from && l.Day <= to));
        }
        else if (filter.SourceId is { } source)
            papers = papers.Where(p => p.Sources.Any(s => s.SourceId == source));
        if (filter.Topics.Count > 0)
        {
            var slugs = filter.Topics.ToList();
            papers = papers.Where(p => p.Topics.Any(t => slugs.Contains(t.Topic.Slug)));
        }
        if (filter.Query is { } q) papers = papers.Matching(db, q);
        return papers;
    }

    /// <summary>Top: HF upvotes (own votes join in with accounts); new: first version; trending: the stored score.</summary>
    public static IOrderedQueryable<Paper> Sorted(this IQueryable<Paper> papers, PaperSort sort) => sort switch
    {
        PaperSort.New => papers.OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id),
        PaperSort.Trending => papers.OrderByDescending(p => p.TrendingScore).ThenByDescending(p => p.Upvotes).ThenByDescending(p => p.Id),
        _ => papers.Ranked(),
    };
}
