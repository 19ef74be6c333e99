using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.ForYou;
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
    /// <summary>after= token of the next page (the last row's sort key), null on the last page or when not paged by key.</summary>
    public string? NextCursor { get; init; }
    /// <summary>before= token of the previous page (the first row's sort key); page 2 links to page 1 plainly instead.</summary>
    public string? PreviousCursor { get; init; }
    /// <summary>True when the list came from <see cref="LoadAsync"/>: its Next link is <see cref="NextCursor"/>, never a page number.</summary>
    public bool KeysetPaged { get; init; }
    /// <summary>Papers of the view the reader's mute rules took out (counted up to <see cref="MaxCounted"/>); shown, never silent.</summary>
    public int Hidden { get; set; }
    /// <summary>?page=N still works (links from elsewhere) up to here; deeper, an OFFSET reads too many rows: follow Next.</summary>
    public const int MaxNumberedPage = 100;

    /// <summary>A list counts at most this many papers: an exact count of a 400,000-paper topic takes seconds.</summary>
    public const int MaxCounted = 10_000;
    public bool MoreThanCounted => Total > MaxCounted;
    /// <summary>Beyond the counted papers, the pages go on while they are full.</summary>
    public int PageCount => MoreThanCounted ? Page + (NextCursor is not null ? 1 : 0) : Math.Max(1, (Total + PageSize - 1) / PageSize);
    public string TotalText => MoreThanCounted ? $"More than {MaxCounted:N0}" : Total.ToString(System.Globalization.CultureInfo.CurrentCulture);
    /// <summary>"page 3 of 40", or "page 3" when the list is longer than what is counted.</summary>
    public string PageText => MoreThanCounted ? $"page {Page}" : $"page {Page} of {PageCount}";

    /// <param name="period">The days of the view itself (a week, a month), on top of the filter's own from/to.</param>
    /// <param name="topicId">The topic of the view itself (/topics/{slug}), on top of the filter's own topic= values.</param>
    /// <param name="cursor">The after= or before= cursor of the request (keyset paging); then <paramref name="page"/> is ignored.</param>
    /// <param name="reader">The signed-in reader's id: sort=foryou, and their mute rules hide papers.</param>
    /// <param name="day">The day page's tab: one day's featured papers, or all it listed.</param>
    /// <param name="mutes">The reader's mute rules when the page has read them already.</param>
    public static async Task<PaperList> LoadAsync(CatalogDbContext db, PaperFilter filter, int page, int pageSize, CancellationToken ct,
        (DateOnly From, DateOnly To)? period = null, int? topicId = null, (PageCursor Cursor, bool Forward)? cursor = null, string? reader = null,
        DayTab? day = null, IReadOnlyList<ForYou.Mute>? mutes = null)
    {
        // On a day, source= means the source that listed the paper that day, not any source that ever brought it.
        var query = db.Papers.AsNoTracking().Visible().Filtered(db, day is null ? filter : filter with { SourceId = null });
        if (period is var (from, to)) query = query.ListedBetween(from, to);
        if (day is not null) query = day.Papers(query, filter.SourceId);
        // By id, not slug: the planner then knows each paper appears once and reads the topic's index in order.
        if (topicId is { } id) query = query.Where(p => p.Topics.Any(t => t.TopicId == id));
        mutes ??= await ForYou.MuteRules.ForReaderAsync(db, reader, ct);
        var hidden = 0;
        if (mutes.Count > 0)
        {
            hidden = await query.Muted(mutes).Take(MaxCounted + 1).CountAsync(ct);
            query = query.Unmuted(mutes);
        }
        // Ranked for the reader: numbered pages (the order lives in memory, not in an index); no signals, the site's order.
        if (filter.Sort == PaperSort.ForYou && reader is not null && cursor is null
            && await ForYou.ForYouRanking.RankAsync(db, reader, query, filter, page, pageSize, ct) is { } ranked)
        {
            ranked.Hidden = hidden;
            return ranked;
        }
        var total = await query.Take(MaxCounted + 1).CountAsync(ct);
        List<PaperCard> papers;
        if (cursor is var (c, forward))
        {
            page = c.Page;
            var postgres = db.Database.IsNpgsql();
            var seek = query.Seek(c, forward, nullsFirst: postgres, rowValues: postgres);
            // One row more than the page tells whether there is a page beyond it, without counting.
            papers = forward
                ? await seek.Sorted(filter.Sort).Take(pageSize + 1).ToCards().ToListAsync(ct)
                : await seek.SortedReverse(filter.Sort).Take(pageSize).ToCards().ToListAsync(ct);
            if (!forward) papers.Reverse();
        }
        else papers = await query.Sorted(filter.Sort).Skip((page - 1) * pageSize).Take(pageSize + 1).ToCards().ToListAsync(ct);
        var more = papers.Count > pageSize;
        if (more) papers.RemoveAt(papers.Count - 1);
        // Going back from a before= page always has a page after it: the one it came from.
        if (cursor is (_, false)) more = true;

        string? next = null, previous = null;
        if (more && papers.Count > 0) next = (await KeyOfAsync(db, filter.Sort, page + 1, papers[^1], ct)).Encode();
        if (page > 2 && papers.Count > 0) previous = (await KeyOfAsync(db, filter.Sort, page - 1, papers[0], ct)).Encode();
        return new PaperList { Filter = filter, Papers = papers, Total = total, Page = page, PageSize = pageSize, NextCursor = next, PreviousCursor = previous, KeysetPaged = true, Hidden = hidden };
    }

    // A card has no trending score; for that order one primary-key lookup fetches it.
    private static async Task<PageCursor> KeyOfAsync(CatalogDbContext db, PaperSort sort, int page, PaperCard card, CancellationToken ct)
    {
        var score = sort == PaperSort.Trending
            ? await db.Papers.Where(p => p.Id == card.Id).Select(p => p.TrendingScore).FirstAsync(ct)
            : 0;
        return PageCursor.Of(page, sort, card, score);
    }

    /// <summary>Reads after= / before= of a list request; false for a malformed or foreign cursor (answer 400).</summary>
    public static bool TryReadCursor(IQueryCollection query, PaperSort sort, out (PageCursor Cursor, bool Forward)? cursor)
    {
        cursor = null;
        var after = query["after"].ToString();
        var before = query["before"].ToString();
        if (after.Length > 0 && before.Length > 0) return false;
        if (after.Length == 0 && before.Length == 0) return true;
        if (!PageCursor.TryDecode(after.Length > 0 ? after : before, sort, out var c)) return false;
        cursor = (c!, after.Length > 0);
        return true;
    }
}

/// <summary>The day page's two tabs: featured (curated, or upvoted past the threshold) or all the day listed.</summary>
public sealed record DayTab(DateOnly Day, bool Featured, int FeaturedUpvotes)
{
    public IQueryable<Paper> Papers(IQueryable<Paper> papers, int? sourceId) =>
        Featured ? papers.FeaturedOn(Day, FeaturedUpvotes) : papers.ListedOn(Day, sourceId);
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
