namespace PaperFeed.Papers;

/// <summary>
/// How a reader sees lists: cards (title, authors, summary, thumbnail) or compact (one short block per paper, about
/// twice as many per screen). <c>?view=compact|cards</c> chooses for the request and is remembered in a cookie of the
/// reader's browser, signed in or not: a display choice, so no account column and nothing for the server to keep.
/// </summary>
public static class ListDisplay
{
    public const string Cookie = "pf-view";
    public const string Compact = "compact";
    public const string Cards = "cards";

    /// <summary>The view of this request: the query's when it names one, else the remembered one, else cards.</summary>
    public static string Mode(HttpContext context) => Asked(context)
        ?? (context.Request.Cookies[Cookie] == Compact ? Compact : Cards);

    private static string? Asked(HttpContext context) =>
        context.Request.Query["view"].ToString() switch { Compact => Compact, Cards => Cards, _ => null };

    public static bool IsCompact(HttpContext context) => Mode(context) == Compact;

    /// <summary>The class of a list's card container.</summary>
    public static string CardsClass(HttpContext context) => IsCompact(context) ? "cards compact" : "cards";

    /// <summary>
    /// This address with the view set (the other query values kept, the page number too), every key and value escaped as the
    /// site's other links are (<see cref="PaperFilter.ToQueryString"/>: only unreserved characters stay as typed).
    /// </summary>
    public static string UrlWith(HttpContext context, string mode)
    {
        var parts = context.Request.Query.Where(q => q.Key != "view")
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("view=" + mode);
        return context.Request.PathBase + context.Request.Path + "?" + string.Join("&", parts);
    }

    /// <summary>
    /// Remembers a view named in the query (a year, like any display setting). Anything else in the query is left alone;
    /// a response that sets the cookie is not output-cached, and cached pages vary by <see cref="Mode"/>.
    /// </summary>
    public static void Remember(HttpContext context)
    {
        if (Asked(context) is not { } mode || context.Request.Cookies[Cookie] == mode) return;
        context.Response.Cookies.Append(Cookie, mode, new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, Path = "/" });
    }
}
