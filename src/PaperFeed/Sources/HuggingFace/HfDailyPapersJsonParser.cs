using System.Globalization;
using System.Text.Json;
using PaperFeed.Papers;

namespace PaperFeed.Sources.HuggingFace;

/// <summary>
/// Reads Hugging Face's daily_papers JSON: an array of wrappers {paper, publishedAt, title, summary, thumbnail,
/// numComments, submittedBy, organization}. Also reads bare paper objects (/api/papers/{id}) and the
/// {dailyPapers: [...]} props of the HTML page. Both the 2024 and the 2026 shapes.
/// </summary>
public static class HfDailyPapersJsonParser
{
    public static ParseResult Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new SourceFormatException($"malformed JSON: {ex.Message}", ex);
        }
        using (document) return Parse(document.RootElement);
    }

    public static ParseResult Parse(JsonElement root)
    {
        var items = root.ValueKind switch
        {
            JsonValueKind.Array => root,
            JsonValueKind.Object when root.TryGetProperty("dailyPapers", out var daily) && daily.ValueKind == JsonValueKind.Array => daily,
            JsonValueKind.Object when root.TryGetProperty("paper", out _) || root.TryGetProperty("id", out _) => default,
            _ => throw new SourceFormatException("JSON is not a Hugging Face daily papers list"),
        };
        if (items.ValueKind == JsonValueKind.Undefined)
            return new ParseResult([ReadItem(root)]);

        var papers = new List<PaperRecord>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
                throw new SourceFormatException("a daily papers item is not an object");
            papers.Add(ReadItem(item));
        }
        return new ParseResult(papers);
    }

    private static PaperRecord ReadItem(JsonElement wrapper)
    {
        // A wrapper nests the paper; a bare paper object is its own paper.
        var wrapped = wrapper.TryGetProperty("paper", out var p) && p.ValueKind == JsonValueKind.Object;
        var paper = wrapped ? p : wrapper;

        var title = Str(paper, "title") ?? Str(wrapper, "title");
        if (string.IsNullOrWhiteSpace(title))
            throw new SourceFormatException("a daily papers item has no title");

        if (!ArxivId.TryParse(Str(paper, "id"), out var arxivId, out var version)) arxivId = null;

        var listInstant = Instant(paper, "submittedOnDailyAt")
            ?? (wrapped ? Instant(wrapper, "publishedAt") : null);

        var organization = Obj(paper, "organization") ?? Obj(wrapper, "organization");
        var submitter = Obj(wrapper, "submittedBy");
        var dailySubmitter = Obj(paper, "submittedOnDailyBy");

        return new PaperRecord
        {
            ArxivId = arxivId,
            Version = version,
            Title = TextNormalizer.Whitespace(title),
            Abstract = TextNormalizer.WhitespaceOrNull(Str(paper, "summary") ?? Str(wrapper, "summary")),
            Authors = Authors(paper),
            PublishedAt = Instant(paper, "publishedAt"),
            ListDay = listInstant is { } instant ? DateOnly.FromDateTime(instant) : null,
            GithubRepo = Str(paper, "githubRepo") ?? Str(wrapper, "githubRepo"),
            GithubStars = Int(paper, "githubStars") ?? Int(wrapper, "githubStars"),
            ProjectPage = Str(paper, "projectPage") ?? Str(wrapper, "projectPage"),
            Upvotes = Int(paper, "upvotes") ?? Int(wrapper, "upvotes"),
            NumComments = Int(wrapper, "numComments") ?? Int(paper, "numComments"),
            // submittedBy.name is the username; submittedOnDailyBy.user is.
            SubmittedBy = (submitter is { } s ? Str(s, "name") : null) ?? (dailySubmitter is { } d ? Str(d, "user") ?? Str(d, "name") : null),
            SubmittedByName = (submitter is { } s2 ? Str(s2, "fullname") : null) ?? (dailySubmitter is { } d2 ? Str(d2, "fullname") : null),
            Organization = organization is { } o ? Str(o, "name") : null,
            OrganizationName = organization is { } o2 ? Str(o2, "fullname") ?? Str(o2, "name") : null,
            AiSummary = TextNormalizer.WhitespaceOrNull(Str(paper, "ai_summary")),
            AiKeywords = StrArray(paper, "ai_keywords"),
            Thumbnail = Str(wrapper, "thumbnail") ?? Str(paper, "thumbnail"),
            DiscussionId = Str(paper, "discussionId"),
        };
    }

    private static List<string>? Authors(JsonElement paper)
    {
        if (!paper.TryGetProperty("authors", out var authors) || authors.ValueKind != JsonValueKind.Array) return null;
        var names = new List<string>(authors.GetArrayLength());
        foreach (var author in authors.EnumerateArray())
        {
            // Hidden authors are kept: arXiv lists them; HF only hides the link to their profile.
            var name = author.ValueKind == JsonValueKind.Object ? Str(author, "name") : author.ValueKind == JsonValueKind.String ? author.GetString() : null;
            if (TextNormalizer.WhitespaceOrNull(name) is { } clean) names.Add(clean);
        }
        return names;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static JsonElement? Obj(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static List<string>? StrArray(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array) return null;
        return v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Where(s => s.Length > 0).ToList();
    }

    private static DateTime? Instant(JsonElement e, string name) =>
        Str(e, name) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt)
            ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : null;
}
