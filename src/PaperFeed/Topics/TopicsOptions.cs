using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace PaperFeed.Topics;

/// <summary>The curated topics created on start when the catalog lacks them; edits on /topics/edit win afterwards.</summary>
public sealed class TopicsOptions : IValidatableObject
{
    public const string Section = "Topics";

    /// <summary>Curated topics (slug, name, phrases, description), created by slug when missing; never overwritten.</summary>
    public List<TopicSeed> Curated { get; set; } = [];

    /// <summary>Create a topic for each arXiv category of <see cref="ArxivCategories.All"/> as well.</summary>
    public bool ArxivCategories { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p, [nameof(Curated)]));

    /// <summary>Why the curated list cannot be seeded, named by slug (empty when it can).</summary>
    public IEnumerable<string> Problems()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (seed, i) in Curated.Select((s, i) => (s, i)))
        {
            var where = $"{Section}:Curated:{i} ({seed.Slug})";
            if (!TopicSlug.IsValid(seed.Slug)) yield return $"{where}: the slug must be lower-case letters, digits and single hyphens, up to {TopicSlug.MaxLength} characters";
            else if (TopicSlug.IsReserved(seed.Slug)) yield return $"{where}: the slug is reserved for an arXiv category or a page";
            else if (!seen.Add(seed.Slug)) yield return $"{where}: the slug is used twice";
            if (string.IsNullOrWhiteSpace(seed.Name)) yield return $"{where}: a name is required";
            if (!seed.Phrases.Any(p => !string.IsNullOrWhiteSpace(p))) yield return $"{where}: at least one phrase is required";
        }
    }
}

public sealed class TopicSeed
{
    public string Slug { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Words and phrases that tag a paper (whole words; case and a plural "s" do not matter).</summary>
    public List<string> Phrases { get; set; } = [];
    public string? Description { get; set; }
}

/// <summary>The rule for topic slugs, which are URL segments (/topics/{slug}) and filter values (?topic=).</summary>
public static partial class TopicSlug
{
    public const int MaxLength = 100;

    public static bool IsValid(string? slug) => slug is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(slug);

    /// <summary>"edit" is the admin page's path; category slugs belong to the arXiv table.</summary>
    public static bool IsReserved(string slug) => slug == "edit" || ArxivCategories.All.Any(c => c.Slug == slug);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
