namespace PaperFeed.Papers;

/// <summary>What a list shows of a paper: a projection, never the tracked entity.</summary>
public sealed record PaperCard(
    long Id, string Key, string? ArxivId, string Title, List<string> Authors, string? Organization, string? OrganizationName,
    DateTime? PublishedAt, int Upvotes, int? NumComments, string? GithubRepo, int? GithubStars, string? ProjectPage,
    string? AiSummary, string? Abstract, string? Thumbnail, int VoteCount = 0, string? SubmittedBy = null)
{
    public const int AuthorsShown = 4;

    /// <summary>Set on a list ranked for the reader (sort=foryou): the liked paper this one is nearest to.</summary>
    public ForYou.RankReason? Reason { get; init; }

    /// <summary>Comments in PaperFeed's own discussion (not Hugging Face's <see cref="NumComments"/>).</summary>
    public int CommentCount { get; init; }

    public static PaperCard From(Paper p) => new(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.Organization, p.OrganizationName,
        p.PublishedAt, p.Upvotes, p.NumComments, p.GithubRepo, p.GithubStars, p.ProjectPage, p.AiSummary, p.Abstract, p.Thumbnail, p.VoteCount)
        { CommentCount = p.CommentCount };

    public string Url => PaperLinks.PagePath(Key, Title);
    public string? ArxivUrl => ArxivId is null ? null : $"https://arxiv.org/abs/{ArxivId}";
    public string? PdfUrl => ArxivId is null ? null : $"https://arxiv.org/pdf/{ArxivId}";
    public IEnumerable<string> FirstAuthors => Authors.Take(AuthorsShown);
    public int MoreAuthors => Math.Max(0, Authors.Count - AuthorsShown);

    /// <summary>The AI summary when HF has one, else the start of the abstract.</summary>
    public string? Blurb => AiSummary ?? PaperLinks.Shorten(Abstract, 300);
}

public static class PaperLinks
{
    /// <summary>
    /// A paper's page. A paper known only by its title (key "title:&lt;hash&gt;") is addressed by its title's words
    /// ("/papers/bold-but-cautious-…"), from which the key is computed again (<see cref="KeyFromSlug"/>); the
    /// "title:" address keeps working and redirects there.
    /// </summary>
    public static string PagePath(string key, string? title = null) =>
        "/papers/" + (title is not null && Slug(key, title) is { } slug ? Uri.EscapeDataString(slug) : key);

    private const string TitlePrefix = "title:";

    /// <summary>The title's words joined by hyphens, for a title-keyed paper whose key is its title's; else null.</summary>
    public static string? Slug(string key, string title)
    {
        if (!key.StartsWith(TitlePrefix, StringComparison.Ordinal)) return null;
        var titleKey = TextNormalizer.TitleKey(title);
        // One word would meet the fixed routes (/papers/trending, /papers/submit): such a paper keeps its key.
        if (!titleKey.Contains(' ', StringComparison.Ordinal) || PaperIngestor.KeyFor(null, titleKey) != key) return null;
        return titleKey.Replace(' ', '-');
    }

    /// <summary>The key a slug stands for (null when the route id is no slug: an arXiv id or a stored key).</summary>
    public static string? KeyFromSlug(string routeId) =>
        routeId.Contains('-', StringComparison.Ordinal) && !routeId.Contains(':', StringComparison.Ordinal) && !routeId.Contains('/', StringComparison.Ordinal)
            && routeId.Replace('-', ' ') is var titleKey && TextNormalizer.TitleKey(titleKey) == titleKey
            ? PaperIngestor.KeyFor(null, titleKey)
            : null;

    public static string? Shorten(string? text, int length)
    {
        if (string.IsNullOrEmpty(text) || text.Length <= length) return text;
        var cut = text.LastIndexOf(' ', length);
        return string.Concat(text.AsSpan(0, cut > length / 2 ? cut : length), "…");
    }

    /// <summary>"owner/repo" from a GitHub URL, for a compact link label.</summary>
    public static string RepoLabel(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.EndsWith("github.com", StringComparison.OrdinalIgnoreCase)
            ? uri.AbsolutePath.Trim('/') : url;
}
