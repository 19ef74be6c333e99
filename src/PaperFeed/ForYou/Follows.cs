using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.ForYou;

/// <summary>The authors (names, any case) and topics (slug → name) a reader follows.</summary>
public sealed record FollowSet(IReadOnlyList<string> Authors, IReadOnlyDictionary<string, string> Topics)
{
    public static readonly FollowSet None = new([], new Dictionary<string, string>());
    public bool IsEmpty => Authors.Count == 0 && Topics.Count == 0;
}

/// <summary>What a candidate shows of itself to the follows: its authors and topic slugs.</summary>
public sealed record PaperFacts(List<string> Authors, List<string> Topics);

/// <summary>
/// Followed authors and topics (<see cref="ReaderRule"/> rows of kind FollowAuthor / FollowTopic): a paper by a followed
/// author or on a followed topic ranks above every paper that is not (the model's scores stay below <see cref="Boost"/>),
/// and says "You follow …".
/// </summary>
public static class Follows
{
    /// <summary>Added to a followed paper's score: cosine scores are at most 1, so followed papers come first, in the model's order.</summary>
    public const double Boost = 1.0;
    public const int MaxFollows = 200;

    public static async Task<FollowSet> ForReaderAsync(CatalogDbContext db, string userId, CancellationToken ct) =>
        (await ForReadersAsync(db, [userId], ct)).GetValueOrDefault(userId) ?? FollowSet.None;

    /// <summary>The follows of many readers at once (the digest job, the lab): two queries, not two per reader; readers without follows are absent.</summary>
    public static async Task<Dictionary<string, FollowSet>> ForReadersAsync(CatalogDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        var rules = await db.ReaderRules.AsNoTracking().Where(r => ids.Contains(r.UserId) && (r.Kind == RuleKind.FollowAuthor || r.Kind == RuleKind.FollowTopic))
            .OrderBy(r => r.Id).Select(r => new { r.UserId, r.Kind, r.Value }).ToListAsync(ct);
        if (rules.Count == 0) return [];
        var slugs = rules.Where(r => r.Kind == RuleKind.FollowTopic).Select(r => r.Value).Distinct().ToList();
        var names = slugs.Count == 0 ? [] : await db.Topics.AsNoTracking().Where(t => slugs.Contains(t.Slug)).ToDictionaryAsync(t => t.Slug, t => t.Name, ct);
        return rules.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => new FollowSet(
            [.. g.Where(r => r.Kind == RuleKind.FollowAuthor).Select(r => r.Value)],
            g.Where(r => r.Kind == RuleKind.FollowTopic && names.ContainsKey(r.Value)).ToDictionary(r => r.Value, r => names[r.Value])));
    }

    /// <summary>Follows or unfollows (the wanted state: a retry is harmless). False when the reader follows too many already.</summary>
    public static async Task<bool> SetAsync(CatalogDbContext db, string userId, RuleKind kind, string value, bool follow, DateTime now, CancellationToken ct)
    {
        if (!follow)
        {
            await db.ReaderRules.Where(r => r.UserId == userId && r.Kind == kind && r.Value == value).ExecuteDeleteAsync(ct);
            return true;
        }
        if (await db.ReaderRules.CountAsync(r => r.UserId == userId && r.Kind == kind, ct) >= MaxFollows) return false;
        var kindText = kind.ToString();
        // The (user, kind, value) unique index settles a double submit: the second insert does nothing.
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "ReaderRules" ("UserId", "Kind", "Value", "CreatedAt") VALUES ({userId}, {kindText}, {value}, {now}) ON CONFLICT DO NOTHING""", ct);
        return true;
    }

    /// <summary>The model's ranking with follows applied (pure): followed papers up by <see cref="Boost"/>, with their reason; order otherwise kept.</summary>
    public static List<(PaperText Paper, ReaderScore Score)> Apply(List<(PaperText Paper, ReaderScore Score)> ranked, FollowSet follows,
        IReadOnlyDictionary<long, PaperFacts> facts)
    {
        if (follows.IsEmpty) return ranked;
        return ranked.Select(r => Reason(follows, facts.GetValueOrDefault(r.Paper.Id)) is { } reason
                ? (Paper: r.Paper, Score: new ReaderScore(r.Score.Score + Boost, reason)) : r)
            .OrderByDescending(r => r.Score.Score).ToList();
    }

    private static RankReason? Reason(FollowSet follows, PaperFacts? paper)
    {
        if (paper is null) return null;
        foreach (var author in follows.Authors)
            if (paper.Authors.Any(a => string.Equals(a.Trim(), author, StringComparison.OrdinalIgnoreCase)))
                return new RankReason(SignalKind.FollowedAuthor, author, AuthorUrl(author), 1);
        foreach (var slug in paper.Topics)
            if (follows.Topics.TryGetValue(slug, out var name))
                return new RankReason(SignalKind.FollowedTopic, name, "/topics/" + slug, 1);
        return null;
    }

    /// <summary>An author's papers: the search for their exact name.</summary>
    public static string AuthorUrl(string author) => "/search?q=" + Uri.EscapeDataString($"author:\"{author}\"");
}
