using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Papers;

/// <summary>
/// Hugging Face-compatible JSON: /api/daily_papers and /api/papers/{id} use HF's shape and key names for the
/// fields PaperFeed stores, so scripts written against huggingface.co work here.
/// </summary>
public static class PapersApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;

    public static void MapPapersApi(this WebApplication app)
    {
        app.MapGet("/api/daily_papers", DailyPapersAsync).CacheOutput(Site.PageCache.Policy);
        app.MapGet("/api/papers/{**id}", PaperAsync).CacheOutput(Site.PageCache.Policy);
    }

    private static async Task<IResult> DailyPapersAsync(CatalogDbContext db, string? date, string? week, string? month,
        int? limit, int? p, string? sort, CancellationToken ct)
    {
        if (!TryPeriod(date, week, month, out var from, out var to, out var problem))
            return Results.BadRequest(new { error = problem });
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit) return Results.BadRequest(new { error = $"limit must be between 1 and {MaxLimit}" });
        var page = p ?? 0;
        if (page is < 0 or > 100_000) return Results.BadRequest(new { error = "p must be between 0 and 100000" });
        if (sort is not (null or "publishedAt" or "trending")) return Results.BadRequest(new { error = "sort must be publishedAt or trending" });

        var listings = db.Listings.AsNoTracking();
        if (from is { } f) listings = listings.Where(l => l.Day >= f && l.Day <= to!.Value);
        // A paper's daily date is the first day any source listed it within the period: its listing with no earlier one
        // (the lower id breaks a tie between two sources on one day). Unlike a GROUP BY over every listing, the newest
        // page reads the newest listings only, however many days the catalog holds.
        var firstListings = listings.Where(l => !listings.Any(o => o.PaperId == l.PaperId && (o.Day < l.Day || (o.Day == l.Day && o.Id < l.Id))));
        var query = from l in firstListings join paper in db.Papers on l.PaperId equals paper.Id where !paper.Hidden select new { paper, l.Day };
        query = sort == "trending"
            ? query.OrderByDescending(x => x.paper.Upvotes).ThenByDescending(x => x.Day).ThenByDescending(x => x.paper.Id)
            : query.OrderByDescending(x => x.Day).ThenByDescending(x => x.paper.Upvotes).ThenByDescending(x => x.paper.Id);
        var rows = await query.Skip(page * take).Take(take).ToListAsync(ct);
        return Results.Json(rows.Select(r => HfDailyPaper.From(r.paper, r.Day)));
    }

    private static async Task<IResult> PaperAsync(CatalogDbContext db, string id, CancellationToken ct)
    {
        var paper = await db.Papers.AsNoTracking().Visible().ByRouteId(id).SingleOrDefaultAsync(ct);
        if (paper is null) return Results.NotFound(new { error = "Paper not found" });
        var firstDay = await db.Listings.Where(l => l.PaperId == paper.Id).MinAsync(l => (DateOnly?)l.Day, ct);
        return Results.Json(HfPaper.From(paper, firstDay));
    }

    internal static bool TryPeriod(string? date, string? week, string? month, out DateOnly? from, out DateOnly? to, out string? problem)
    {
        from = to = null;
        problem = null;
        if (date is not null)
        {
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) { problem = "date must be YYYY-MM-DD"; return false; }
            from = to = d;
        }
        else if (week is not null)
        {
            if (!IsoWeek.TryParse(week, out var monday)) { problem = "week must be YYYY-Www"; return false; }
            from = monday;
            to = monday.AddDays(6);
        }
        else if (month is not null)
        {
            if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year > 9998) { problem = "month must be YYYY-MM"; return false; }
            from = first;
            to = first.AddMonths(1).AddDays(-1);
        }
        return true;
    }
}

public static class IsoWeek
{
    /// <summary>Parses "2026-W24" to the Monday of that ISO week.</summary>
    public static bool TryParse(string text, out DateOnly monday)
    {
        monday = default;
        if (text.Length != 8 || text[4] != '-' || text[5] != 'W'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 2 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year)) return false; // years whose neighbours exist
        monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return true;
    }
}

// HF's JSON shape. Property names are HF's, including its snake_case ai_* fields.
public sealed record HfAuthor([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("hidden")] bool Hidden);

public sealed record HfOrganization([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("fullname")] string? Fullname);

public sealed record HfUser([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("user")] string? User, [property: JsonPropertyName("fullname")] string? Fullname);

public sealed record HfPaper(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("authors")] List<HfAuthor> Authors,
    [property: JsonPropertyName("publishedAt")] DateTime? PublishedAt,
    [property: JsonPropertyName("submittedOnDailyAt")] DateTime? SubmittedOnDailyAt,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("upvotes")] int Upvotes,
    [property: JsonPropertyName("discussionId"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DiscussionId,
    [property: JsonPropertyName("ai_summary"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AiSummary,
    [property: JsonPropertyName("ai_keywords"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? AiKeywords,
    [property: JsonPropertyName("githubRepo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GithubRepo,
    [property: JsonPropertyName("githubStars"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? GithubStars,
    [property: JsonPropertyName("projectPage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProjectPage,
    [property: JsonPropertyName("organization"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HfOrganization? Organization,
    [property: JsonPropertyName("submittedOnDailyBy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HfUser? SubmittedOnDailyBy,
    [property: JsonPropertyName("numComments"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? NumComments)
{
    public static HfPaper From(Paper p, DateOnly? listDay) => new(
        p.ArxivId ?? p.Key,
        p.Authors.Select(a => new HfAuthor(a, false)).ToList(),
        p.PublishedAt,
        listDay?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        p.Title,
        p.Abstract,
        p.Upvotes,
        p.DiscussionId,
        p.AiSummary,
        p.AiKeywords.Count > 0 ? p.AiKeywords : null,
        p.GithubRepo,
        p.GithubStars,
        p.ProjectPage,
        p.Organization is null && p.OrganizationName is null ? null : new HfOrganization(p.Organization, p.OrganizationName),
        p.SubmittedBy is null ? null : new HfUser(p.SubmittedBy, p.SubmittedBy, p.SubmittedByName),
        p.NumComments);
}

public sealed record HfDailyPaper(
    [property: JsonPropertyName("paper")] HfPaper Paper,
    [property: JsonPropertyName("publishedAt")] DateTime? PublishedAt,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("thumbnail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Thumbnail,
    [property: JsonPropertyName("numComments")] int NumComments,
    [property: JsonPropertyName("submittedBy"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HfUser? SubmittedBy,
    [property: JsonPropertyName("organization"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HfOrganization? Organization)
{
    public static HfDailyPaper From(Paper p, DateOnly listDay)
    {
        var paper = HfPaper.From(p, listDay);
        return new(paper, p.PublishedAt, p.Title, p.Abstract, p.Thumbnail, p.NumComments ?? 0,
            paper.SubmittedOnDailyBy, paper.Organization);
    }
}
