using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperFeed.Feeds;

namespace PaperFeed.Papers;

/// <summary>What the shared list partial renders: the list, the path of the view, and the view's name for feeds.</summary>
public sealed record ListView(PaperList List, string Path, string Title)
{
    /// <summary>False on a view whose order is its point (trending): the partial then offers no sort links.</summary>
    public bool Sortable { get; init; } = true;

    /// <summary>What the view itself holds in its query string beside the filter (the day page's tab=all).</summary>
    public string? ViewQuery { get; init; }

    /// <summary>What an empty list says: the view's own explanation, or a generic one.</summary>
    public string? EmptyHeading { get; init; }
    public string? EmptyReason { get; init; }

    public string Url(PaperFilter filter, int? page = null) =>
        Link(filter.ToQueryString(("page", page is > 1 ? page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)));

    /// <summary>The next page by key (after=), or by number for a list not paged by key (search).</summary>
    public string NextUrl => List.NextCursor is { } next ? Link(List.Filter.ToQueryString(("after", next))) : Url(List.Filter, List.Page + 1);

    /// <summary>Page 1 plainly; deeper, by key (before=); by number for a list not paged by key.</summary>
    public string PreviousUrl => List.Page > 2 && List.PreviousCursor is { } previous
        ? Link(List.Filter.ToQueryString(("before", previous)))
        : Url(List.Filter, List.Page - 1);

    public bool HasNext => List.NextCursor is not null || (List.Page < List.PageCount && !List.KeysetPaged);

    public string FeedUrl(string format) => Link(List.Filter.ToQueryString(("format", format)));

    private string Link(string filterQuery)
    {
        var query = string.Join("&", new[] { ViewQuery, filterQuery.TrimStart('?') }.Where(p => !string.IsNullOrEmpty(p)));
        return query.Length == 0 ? Path : Path + "?" + query;
    }

    /// <summary>
    /// Answers ?format=atom|rss|json with the same list as a feed, ?format=bibtex|ris|csl with its papers as a citation
    /// file to download (the page's papers, as the feeds); null when the page itself is wanted.
    /// </summary>
    public static IActionResult? AsFeed(PageModel page, string? format, ListView view, string? baseUrl)
    {
        if (format is null) return null;
        if (!FeedWriter.TryParse(format, out var feedFormat)) return page.BadRequest();
        var root = (baseUrl ?? $"{page.Request.Scheme}://{page.Request.Host}").TrimEnd('/');
        if (FeedWriter.IsExport(feedFormat)) return new CitationExport(feedFormat, view.List.Papers.Select(p => p.Id).ToList(), view.Title, root);
        // An empty list (or one without dates) was last checked now: never 1970, which readers show as "55 years ago".
        var now = page.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var updated = view.List.Papers.Select(p => p.PublishedAt ?? DateTime.MinValue).DefaultIfEmpty(DateTime.MinValue).Max();
        var content = new FeedContent(view.Title, root + view.Url(view.List.Filter), root + view.FeedUrl(format.ToLowerInvariant()),
            updated == DateTime.MinValue ? now : updated, view.List.Papers, root);
        return new ContentResult { Content = FeedWriter.Write(feedFormat, content), ContentType = FeedWriter.ContentType(feedFormat) };
    }
}
