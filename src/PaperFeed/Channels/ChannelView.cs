using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Channels;

/// <summary>
/// A channel's view: a list address of this site (path and query, read by <see cref="PaperFilter.TryRead"/> as the
/// pages read it) or "for-you" of the channel's owner. Only papers listed on the last <see cref="RecentDays"/> days are
/// posted: a channel announces new papers, it does not replay the archive.
/// </summary>
public sealed record ChannelView(string Title, PaperFilter Filter, string? TopicSlug)
{
    public const int RecentDays = 2;
    /// <summary>The most papers one run posts to a channel (a busy arXiv day has hundreds).</summary>
    public const int MaxPapers = 30;

    /// <summary>Reads <paramref name="view"/>; null with a one-line problem when it is not one of the list pages.</summary>
    public static ChannelView? TryRead(string view, out string? problem)
    {
        problem = null;
        view = view.Trim();
        if (view == ChatChannel.ForYouView) return new("For you", new PaperFilter { Sort = PaperSort.ForYou }, null);
        if (Uri.TryCreate(view, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") view = absolute.PathAndQuery;
        var q = view.IndexOf('?');
        var path = (q < 0 ? view : view[..q]).TrimEnd('/');
        var query = new QueryCollection(QueryHelpers.ParseQuery(q < 0 ? "" : view[q..]));
        if (!PaperFilter.TryRead(query, out var filter, out problem)) return null;
        string? slug = null;
        string title;
        // /papers/date without a day is the home page (the latest day); a dated day, week or month never gains new papers,
        // so it is refused with the address that posts the same filters each day.
        if (path is "" or "/papers" or "/papers/date") title = "New papers";
        else if (path.Split('/') is ["", "papers", "date" or "week" or "month", ..])
        {
            problem = $"{path} is a fixed day, week or month: it never has new papers to post. Use /{(q < 0 ? "" : view[q..])} for each day's new papers with the same filters.";
            return null;
        }
        else if (path == "/search") title = $"Search: {filter.Query}";
        else if (path == "/papers/trending") { title = "Trending papers"; filter = filter with { Sort = PaperSort.Trending }; }
        else if (path.StartsWith("/topics/", StringComparison.Ordinal) && path.Length > 8 && !path[8..].Contains('/')) { slug = path[8..]; title = $"Papers on {slug}"; }
        else { problem = "The view must be a list page of this site (/, /search?q=…, /papers/trending, /topics/…) or for-you."; return null; }
        return new(title, filter, slug);
    }

    /// <summary>The view's recent papers in its order, at most <see cref="MaxPapers"/>; for-you ranked for <paramref name="owner"/>.</summary>
    public async Task<List<PaperCard>> PapersAsync(CatalogDbContext db, string? owner, DateOnly today, CancellationToken ct)
    {
        int? topicId = null;
        if (TopicSlug is not null)
        {
            topicId = await db.Topics.Where(t => t.Slug == TopicSlug).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
            if (topicId is null) return [];
        }
        var period = Filter.From is null && Filter.To is null ? (today.AddDays(1 - RecentDays), today) : ((DateOnly, DateOnly)?)null;
        var filter = Filter.Sort == PaperSort.ForYou && owner is null ? Filter with { Sort = PaperSort.Top } : Filter;
        var list = await PaperList.LoadAsync(db, filter, 1, MaxPapers, ct, period, topicId, reader: owner);
        return list.Papers;
    }
}
