using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.ForYou;

/// <summary>
/// sort=foryou on any list: the list's first <see cref="MaxCandidates"/> papers in the site's order, re-ranked by
/// the reader's <see cref="ReaderModel"/>, "not for me" papers left out, each card with its reason.
/// A reader without signals, or an anonymous visitor, gets the site's order.
/// </summary>
public static class ForYouRanking
{
    /// <summary>A list longer than this is ranked on its first papers in the site's order (a month of arXiv is ~25,000).</summary>
    public const int MaxCandidates = 2000;
    /// <summary>The most recent signals of each kind that make the model.</summary>
    public const int MaxSignals = 500;

    /// <summary>sort=foryou means the site's order for an anonymous visitor: never an error, never their own ranking.</summary>
    public static PaperFilter ForReader(this PaperFilter filter, ClaimsPrincipal user) =>
        filter.Sort == PaperSort.ForYou && user.Identity?.IsAuthenticated != true ? filter with { Sort = PaperSort.Top } : filter;

    /// <summary>The signed-in reader's id (Identity's name-identifier claim), null for an anonymous visitor.</summary>
    public static string? ReaderId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static async Task<List<ProfilePaper>> SignalsAsync(CatalogDbContext db, string userId, CancellationToken ct)
    {
        var upvoted = await db.Votes.AsNoTracking().Where(v => v.UserId == userId && !v.Paper.Hidden).OrderByDescending(v => v.CreatedAt).Take(MaxSignals)
            .Select(v => new PaperText(v.Paper.Id, v.Paper.Key, v.Paper.Title, v.Paper.Abstract, v.Paper.Categories)).ToListAsync(ct);
        var saved = await db.SavedPapers.AsNoTracking().Where(s => s.UserId == userId && !s.Paper.Hidden).OrderByDescending(s => s.SavedAt).Take(MaxSignals)
            .Select(s => new PaperText(s.Paper.Id, s.Paper.Key, s.Paper.Title, s.Paper.Abstract, s.Paper.Categories)).ToListAsync(ct);
        var notForMe = await db.NotForMe.AsNoTracking().Where(n => n.UserId == userId && !n.Paper.Hidden).OrderByDescending(n => n.MarkedAt).Take(MaxSignals)
            .Select(n => new PaperText(n.Paper.Id, n.Paper.Key, n.Paper.Title, n.Paper.Abstract, n.Paper.Categories)).ToListAsync(ct);
        // Seed papers the catalog holds (SeedPapers): liked papers like upvotes; those still to be fetched join once ingested.
        var seeds = await db.ReaderRules.AsNoTracking().Where(r => r.UserId == userId && r.Kind == RuleKind.Seed)
            .Join(db.Papers.Where(p => !p.Hidden), r => r.Value, p => p.ArxivId, (r, p) => new { r.Id, Paper = new PaperText(p.Id, p.Key, p.Title, p.Abstract, p.Categories) })
            .OrderByDescending(x => x.Id).Take(MaxSignals).Select(x => x.Paper).ToListAsync(ct);
        // "Less like this" (LessLikeService): rows keyed by the paper's key, read the same way.
        var lessLike = await db.ReaderRules.AsNoTracking().Where(r => r.UserId == userId && r.Kind == RuleKind.LessLike)
            .Join(db.Papers.Where(p => !p.Hidden), r => r.Value, p => p.Key, (r, p) => new { r.Id, Paper = new PaperText(p.Id, p.Key, p.Title, p.Abstract, p.Categories) })
            .OrderByDescending(x => x.Id).Take(MaxSignals).Select(x => x.Paper).ToListAsync(ct);
        return [.. upvoted.Select(p => new ProfilePaper(p, SignalKind.Upvoted)), .. saved.Select(p => new ProfilePaper(p, SignalKind.Saved)),
            .. notForMe.Select(p => new ProfilePaper(p, SignalKind.NotForMe)), .. seeds.Select(p => new ProfilePaper(p, SignalKind.Seed)),
            .. lessLike.Select(p => new ProfilePaper(p, SignalKind.LessLike))];
    }

    /// <summary>
    /// The signals of many readers at once (the digest job: five queries per batch of subscribers, not five per subscriber),
    /// each reader's most recent <see cref="MaxSignals"/> of each kind; readers without signals are absent.
    /// </summary>
    public static async Task<Dictionary<string, List<ProfilePaper>>> SignalsAsync(CatalogDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        var upvoted = await db.Votes.AsNoTracking().Where(v => ids.Contains(v.UserId) && !v.Paper.Hidden)
            .Select(v => new { v.UserId, At = v.CreatedAt, Paper = new PaperText(v.Paper.Id, v.Paper.Key, v.Paper.Title, v.Paper.Abstract, v.Paper.Categories) }).ToListAsync(ct);
        var saved = await db.SavedPapers.AsNoTracking().Where(s => ids.Contains(s.UserId) && !s.Paper.Hidden)
            .Select(s => new { s.UserId, At = s.SavedAt, Paper = new PaperText(s.Paper.Id, s.Paper.Key, s.Paper.Title, s.Paper.Abstract, s.Paper.Categories) }).ToListAsync(ct);
        var notForMe = await db.NotForMe.AsNoTracking().Where(n => ids.Contains(n.UserId) && !n.Paper.Hidden)
            .Select(n => new { n.UserId, At = n.MarkedAt, Paper = new PaperText(n.Paper.Id, n.Paper.Key, n.Paper.Title, n.Paper.Abstract, n.Paper.Categories) }).ToListAsync(ct);
        var seeds = await db.ReaderRules.AsNoTracking().Where(r => ids.Contains(r.UserId) && r.Kind == RuleKind.Seed)
            .Join(db.Papers.Where(p => !p.Hidden), r => r.Value, p => p.ArxivId,
                (r, p) => new { r.UserId, At = r.CreatedAt, Paper = new PaperText(p.Id, p.Key, p.Title, p.Abstract, p.Categories) }).ToListAsync(ct);
        var lessLike = await db.ReaderRules.AsNoTracking().Where(r => ids.Contains(r.UserId) && r.Kind == RuleKind.LessLike)
            .Join(db.Papers.Where(p => !p.Hidden), r => r.Value, p => p.Key,
                (r, p) => new { r.UserId, At = r.CreatedAt, Paper = new PaperText(p.Id, p.Key, p.Title, p.Abstract, p.Categories) }).ToListAsync(ct);
        var all = upvoted.Select(x => (x.UserId, x.At, Signal: new ProfilePaper(x.Paper, SignalKind.Upvoted)))
            .Concat(seeds.Select(x => (x.UserId, x.At, Signal: new ProfilePaper(x.Paper, SignalKind.Seed))))
            .Concat(saved.Select(x => (x.UserId, x.At, Signal: new ProfilePaper(x.Paper, SignalKind.Saved))))
            .Concat(notForMe.Select(x => (x.UserId, x.At, Signal: new ProfilePaper(x.Paper, SignalKind.NotForMe))))
            .Concat(lessLike.Select(x => (x.UserId, x.At, Signal: new ProfilePaper(x.Paper, SignalKind.LessLike))));
        return all.GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => g.GroupBy(x => x.Signal.Kind)
            .SelectMany(k => k.OrderByDescending(x => x.At).Take(MaxSignals)).Select(x => x.Signal).ToList());
    }

    /// <summary>One page of <paramref name="candidates"/> ranked for the reader; null when the reader has no signals nor follows (use the site's order).</summary>
    public static async Task<PaperList?> RankAsync(CatalogDbContext db, string userId, IQueryable<Paper> candidates, PaperFilter filter,
        int page, int pageSize, CancellationToken ct)
    {
        var signals = await SignalsAsync(db, userId, ct);
        var follows = await Follows.ForReaderAsync(db, userId, ct);
        if (signals.Count == 0 && follows.IsEmpty) return null;
        var texts = await candidates.Ranked().Take(MaxCandidates)
            .Select(p => new PaperText(p.Id, p.Key, p.Title, p.Abstract, p.Categories)).ToListAsync(ct);
        var hidden = signals.Where(s => s.Kind == SignalKind.NotForMe).Select(s => s.Paper.Id).ToHashSet();
        texts.RemoveAll(t => hidden.Contains(t.Id));
        var model = ReaderModel.Train(signals, texts);
        var ranked = model.Rank(texts);
        if (!follows.IsEmpty)
        {
            // Authors and topics are read only for a reader who follows some: one more query, by the candidates' ids.
            var candidateIds = texts.Select(t => t.Id).ToList();
            var facts = await db.Papers.AsNoTracking().Where(p => candidateIds.Contains(p.Id))
                .Select(p => new { p.Id, p.Authors, Topics = p.Topics.Select(t => t.Topic.Slug).ToList() })
                .ToDictionaryAsync(p => p.Id, p => new PaperFacts(p.Authors, p.Topics), ct);
            ranked = Follows.Apply(ranked, follows, facts);
        }

        var slice = ranked.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        var ids = slice.Select(s => s.Paper.Id).ToList();
        var cards = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToCards().ToDictionaryAsync(c => c.Id, ct);
        // The words that weighed most: for the shown page only (each is one more pass over the paper's text).
        var papers = slice.Where(s => cards.ContainsKey(s.Paper.Id))
            .Select(s => cards[s.Paper.Id] with { Reason = s.Score.Reason is { } r ? r with { Words = model.Words(s.Paper) } : null }).ToList();
        return new PaperList { Filter = filter, Papers = papers, Total = ranked.Count, Page = page, PageSize = pageSize };
    }
}
