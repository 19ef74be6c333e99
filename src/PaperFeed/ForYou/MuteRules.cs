using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Topics;

namespace PaperFeed.ForYou;

/// <summary>One mute rule as matched: a <c>Mute…</c> <see cref="RuleKind"/> and its text.</summary>
public sealed record Mute(RuleKind Kind, string Value);

/// <summary>
/// A reader's mute rules, the one list behind their web lists (as SQL: <see cref="Unmuted"/>) and their digest (in memory:
/// <see cref="Hides"/>); the two say the same thing. A keyword is a case-insensitive substring of the title, abstract, AI
/// summary or an AI keyword (as the digest's mute keywords always were); an author is one whole author name,
/// case-insensitive; a category is an arXiv code among the paper's categories.
/// </summary>
public static partial class MuteRules
{
    public static readonly RuleKind[] Kinds = [RuleKind.MuteKeyword, RuleKind.MuteAuthor, RuleKind.MuteCategory];
    /// <summary>Per kind: each rule adds a condition to every list query of the reader.</summary>
    public const int MaxRules = 50;
    public const int MaxKeywordLength = 100;

    public static async Task<List<Mute>> ForReaderAsync(CatalogDbContext db, string? userId, CancellationToken ct) =>
        userId is null ? [] : await db.ReaderRules.AsNoTracking()
            .Where(r => r.UserId == userId && (r.Kind == RuleKind.MuteKeyword || r.Kind == RuleKind.MuteAuthor || r.Kind == RuleKind.MuteCategory))
            .OrderBy(r => r.Id).Select(r => new Mute(r.Kind, r.Value)).ToListAsync(ct);

    /// <summary>The mute rules of many readers at once (a digest batch); readers without rules are absent.</summary>
    public static async Task<Dictionary<string, List<Mute>>> ForReadersAsync(CatalogDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        var rules = await db.ReaderRules.AsNoTracking()
            .Where(r => ids.Contains(r.UserId) && (r.Kind == RuleKind.MuteKeyword || r.Kind == RuleKind.MuteAuthor || r.Kind == RuleKind.MuteCategory))
            .OrderBy(r => r.Id).Select(r => new { r.UserId, r.Kind, r.Value }).ToListAsync(ct);
        return rules.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => new Mute(r.Kind, r.Value)).ToList());
    }

    /// <summary>
    /// A subscription's mute list: its account's rules when it has an account (the one list the reader edits on the web and on
    /// the digest preferences page), else the subscription's own <see cref="Subscription.MuteKeywords"/>.
    /// </summary>
    public static List<Mute> ForSubscription(Subscription s, IReadOnlyDictionary<string, List<Mute>> byReader) =>
        s.UserId is { } reader ? byReader.GetValueOrDefault(reader) ?? [] : [.. s.MuteKeywords.Select(k => new Mute(RuleKind.MuteKeyword, k))];

    /// <summary>In memory (the digest): whether any rule hides the paper.</summary>
    public static bool Hides(IReadOnlyList<Mute> mutes, DigestCandidate c) => mutes.Any(m => m.Kind switch
    {
        RuleKind.MuteKeyword => Has(c.Title, m.Value) || Has(c.Abstract, m.Value) || Has(c.AiSummary, m.Value) || c.AiKeywords.Any(a => Has(a, m.Value)),
        RuleKind.MuteAuthor => c.Authors.Any(a => string.Equals(a.Trim(), m.Value.Trim(), StringComparison.OrdinalIgnoreCase)),
        RuleKind.MuteCategory => (c.Categories ?? []).Contains(m.Value, StringComparer.Ordinal),
        _ => false,
    });

    private static bool Has(string? text, string keyword) =>
        !string.IsNullOrWhiteSpace(keyword) && text is not null && text.Contains(keyword.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>As SQL (the web lists): the papers no rule hides.</summary>
    public static IQueryable<Paper> Unmuted(this IQueryable<Paper> papers, IReadOnlyList<Mute> mutes)
    {
        foreach (var m in mutes)
        {
            var matches = Matches(m);
            papers = papers.Where(Expression.Lambda<Func<Paper, bool>>(Expression.Not(matches.Body), matches.Parameters));
        }
        return papers;
    }

    /// <summary>As SQL: the papers some rule hides (what "N papers hidden by your mute rules" and the dry run count).</summary>
    public static IQueryable<Paper> Muted(this IQueryable<Paper> papers, IReadOnlyList<Mute> mutes)
    {
        if (mutes.Count == 0) return papers.Where(p => false);
        var p = Expression.Parameter(typeof(Paper), "p");
        var body = mutes.Select(Matches).Select(e => new SwapParameter(e.Parameters[0], p).Visit(e.Body)).Aggregate(Expression.OrElse);
        return papers.Where(Expression.Lambda<Func<Paper, bool>>(body, p));
    }

    // lower() on both providers; SQLite's lower() folds ASCII only, so a keyword with capitals outside ASCII may match less
    // on SQLite's web lists than in the digest (which folds case in .NET).
    private static Expression<Func<Paper, bool>> Matches(Mute m)
    {
        var v = m.Value.Trim().ToLowerInvariant();
        var code = m.Value.Trim();
        return m.Kind switch
        {
            RuleKind.MuteKeyword => p => p.Title.ToLower().Contains(v) || (p.Abstract != null && p.Abstract.ToLower().Contains(v))
                || (p.AiSummary != null && p.AiSummary.ToLower().Contains(v)) || p.AiKeywords.Any(a => a.ToLower().Contains(v)),
            RuleKind.MuteAuthor => p => p.Authors.Any(a => a.ToLower() == v),
            RuleKind.MuteCategory => p => p.Categories.Contains(code),
            _ => throw new ArgumentOutOfRangeException(nameof(m), m.Kind, "not a mute rule"),
        };
    }

    private sealed class SwapParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>
    /// A textarea of rules of one kind → distinct values (case-insensitively), or the reason it is refused. Keywords: one per line
    /// or comma-separated; authors: one per line (a name may hold a comma); categories: arXiv codes, known ones in arXiv's case.
    /// </summary>
    public static (List<string> Values, string? Error) Parse(RuleKind kind, string? text)
    {
        char[] separators = kind == RuleKind.MuteAuthor ? ['\n', '\r'] : kind == RuleKind.MuteCategory ? ['\n', '\r', ',', ' ', '\t'] : ['\n', '\r', ','];
        var values = (text ?? "").Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => kind == RuleKind.MuteCategory ? ArxivCategories.All.FirstOrDefault(c => c.Code.Equals(v, StringComparison.OrdinalIgnoreCase))?.Code ?? v : v)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (values.Count > MaxRules) return (values, $"At most {MaxRules} rules of each kind.");
        if (values.Any(v => v.Length > MaxKeywordLength)) return (values, $"A rule has at most {MaxKeywordLength} characters.");
        if (kind == RuleKind.MuteCategory && values.FirstOrDefault(v => !CategoryCode().IsMatch(v)) is { } bad)
            return (values, $"“{bad}” is not an arXiv category code such as cs.LG or math.OC.");
        return (values, null);
    }

    [GeneratedRegex(@"^[a-z][a-z\-]*(\.[A-Za-z\-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryCode();

    /// <summary>Makes the reader's rules of one kind exactly <paramref name="values"/> (tracked changes: the caller saves).</summary>
    public static async Task ReplaceAsync(CatalogDbContext db, string userId, RuleKind kind, IReadOnlyList<string> values, DateTime now, CancellationToken ct)
    {
        var existing = await db.ReaderRules.Where(r => r.UserId == userId && r.Kind == kind).ToListAsync(ct);
        db.ReaderRules.RemoveRange(existing.Where(r => !values.Contains(r.Value, StringComparer.Ordinal)));
        foreach (var value in values.Where(v => !existing.Any(r => r.Value == v)))
            db.ReaderRules.Add(new ReaderRule { UserId = userId, Kind = kind, Value = value, CreatedAt = now });
    }

    /// <summary>
    /// A subscription joins an account: its own mute keywords become the account's rules (one list from now on) and are
    /// cleared on the subscription. Tracked changes: the caller saves.
    /// </summary>
    public static async Task AdoptAsync(CatalogDbContext db, Subscription s, string userId, DateTime now, CancellationToken ct)
    {
        if (s.MuteKeywords.Count == 0) return;
        var have = await db.ReaderRules.Where(r => r.UserId == userId && r.Kind == RuleKind.MuteKeyword).Select(r => r.Value).ToListAsync(ct);
        foreach (var keyword in s.MuteKeywords.Distinct(StringComparer.OrdinalIgnoreCase).Where(k => !have.Contains(k, StringComparer.OrdinalIgnoreCase)).Take(MaxRules - have.Count))
            db.ReaderRules.Add(new ReaderRule { UserId = userId, Kind = RuleKind.MuteKeyword, Value = keyword, CreatedAt = now });
        s.MuteKeywords = [];
    }
}
