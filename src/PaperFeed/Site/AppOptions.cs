using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Site;

/// <summary>The site's settings (section "App": App__BaseUrl, App__PageSize, …).</summary>
public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>Public address of the site (https://papers.example.org), used for absolute links in feeds and emails.</summary>
    [Url]
    public string? BaseUrl { get; set; }

    /// <summary>Name shown in the header and the page titles.</summary>
    [Required]
    public string SiteName { get; set; } = "PaperFeed";

    /// <summary>The site's time zone (IANA id): what "today" is, shown in the footer. Listing days themselves are the sources' own.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);

    /// <summary>Papers shown on a day page.</summary>
    [Range(1, 500)]
    public int PageSize { get; set; } = 50;

    /// <summary>How long an anonymous visitor's copy of a catalog page is served from this process's output cache (0: off).
    /// Writes through this process evict it at once; this bounds what other instances and commands change.</summary>
    [Range(0, 3600)]
    public int PageCacheSeconds { get; set; } = 60;

    /// <summary>HF upvotes from which a paper of any source is Featured on its day.</summary>
    [Range(0, 100_000)]
    public int FeaturedUpvotes { get; set; } = 10;
}
