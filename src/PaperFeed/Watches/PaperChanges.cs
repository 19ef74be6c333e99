using System.Text.RegularExpressions;
using PaperFeed.Papers;

namespace PaperFeed.Watches;

/// <summary>One line of news about a watched paper, as the digest and /account show it (text, encoded where shown).</summary>
public sealed record ChangeLine(PaperChangeKind Kind, string Text, string? Url, DateTime At);

/// <summary>
/// Pure: what changed between a paper before and after a merge that a watcher wants to hear of, and how to say it.
/// Only papers arXiv had already described count (the first description of an HF paper is no news).
/// </summary>
public static partial class PaperChanges
{
    public static List<PaperChange> Detect(Paper before, Paper after, DateTime at)
    {
        var changes = new List<PaperChange>();
        void Add(PaperChangeKind kind, string? old, string? now, int? version = null) => changes.Add(new PaperChange
        {
            PaperId = after.Id, Kind = kind, Version = version, OldText = Cut(old), NewText = Cut(now), At = at,
        });
        if (before.MetadataFromArxiv)
        {
            if (after.Version is { } v && before.Version is { } was && v > was) Add(PaperChangeKind.Version, null, null, v);
            if (before.Title != after.Title) Add(PaperChangeKind.Title, before.Title, after.Title, after.Version);
            if (before.Abstract != after.Abstract && after.Abstract is not null) Add(PaperChangeKind.Abstract, before.Abstract, after.Abstract, after.Version);
            if (before.Comments != after.Comments && !string.IsNullOrWhiteSpace(after.Comments)) Add(PaperChangeKind.ArxivComment, before.Comments, after.Comments);
            if (before.JournalRef != after.JournalRef && !string.IsNullOrWhiteSpace(after.JournalRef)) Add(PaperChangeKind.JournalRef, before.JournalRef, after.JournalRef);
        }
        if (before.GithubRepo != after.GithubRepo && after.GithubRepo is not null) Add(PaperChangeKind.Code, before.GithubRepo, after.GithubRepo);
        return changes;
    }

    /// <summary>A change as one line; <paramref name="pageUrl"/> is the paper's page, <paramref name="commenter"/> a comment's author.</summary>
    public static ChangeLine Describe(PaperChange c, string pageUrl, string? commenter) => c.Kind switch
    {
        PaperChangeKind.Version => new(c.Kind, $"New version on arXiv: v{c.Version}", null, c.At),
        PaperChangeKind.Title => new(c.Kind, $"Title changed from “{c.OldText}” to “{c.NewText}”", null, c.At),
        PaperChangeKind.Abstract => new(c.Kind, FirstNewSentence(c.OldText, c.NewText) is { } s ? $"Abstract revised: “{s}”" : "Abstract revised", null, c.At),
        PaperChangeKind.ArxivComment => new(c.Kind, Venue(c.NewText) ?? $"arXiv comment now: “{c.NewText}”", null, c.At),
        PaperChangeKind.JournalRef => new(c.Kind, Venue(c.NewText) ?? $"Published in {c.NewText}", null, c.At),
        PaperChangeKind.Code => new(c.Kind, $"Code released: {c.NewText}", c.NewText, c.At),
        PaperChangeKind.Comment => new(c.Kind, $"New comment by {(commenter is null ? "a reader" : "@" + commenter)}", $"{pageUrl}#c-{c.CommentId}", c.At),
        _ => new(c.Kind, c.Kind.ToString(), null, c.At),
    };

    /// <summary>"Accepted at ICLR 2027" out of "12 pages. Accepted at ICLR 2027 (oral)", or null when no venue is named.</summary>
    public static string? Venue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var match = VenuePattern().Match(text);
        if (!match.Success) return null;
        var venue = match.Value.Trim().TrimEnd('.', ',', ';');
        return char.ToUpperInvariant(venue[0]) + venue[1..];
    }

    [GeneratedRegex(@"\b(accepted|to appear|published|camera[- ]ready)\b[^.;]*", RegexOptions.IgnoreCase)]
    private static partial Regex VenuePattern();

    /// <summary>The first sentence of the new abstract that the old one did not have, cut to 300 characters.</summary>
    public static string? FirstNewSentence(string? old, string? now)
    {
        if (string.IsNullOrWhiteSpace(now)) return null;
        var known = Sentences(old ?? "").ToHashSet(StringComparer.Ordinal);
        var fresh = Sentences(now).FirstOrDefault(s => !known.Contains(s));
        return fresh is null ? null : fresh.Length <= 300 ? fresh : string.Concat(fresh.AsSpan(0, 299), "…");
    }

    private static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(TextNormalizer.Whitespace(text)).Select(s => s.Trim()).Where(s => s.Length > 0);

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    private static string? Cut(string? text) => text is null || text.Length <= PaperChange.MaxText ? text : text[..PaperChange.MaxText];
}
