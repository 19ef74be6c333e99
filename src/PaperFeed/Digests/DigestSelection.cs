using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Digests;

/// <summary>A candidate paper for a digest, with what the keyword filters read.</summary>
public sealed record DigestCandidate(long Id, string Key, string? ArxivId, string Title, List<string> Authors, string? AiSummary,
    string? Abstract, List<string> AiKeywords, int VoteCount, int Upvotes, string? GithubRepo)
{
    public DigestItem ToItem(string baseUrl) => new(Id, Title, Authors, AiSummary ?? PaperLinks.Shorten(Abstract, 240), VoteCount, Upvotes,
        baseUrl.TrimEnd('/') + PaperLinks.PagePath(Key),
        ArxivId is null ? null : $"https://arxiv.org/abs/{ArxivId}", ArxivId is null ? null : $"https://arxiv.org/pdf/{ArxivId}", GithubRepo);
}

/// <summary>A paper listed in a period, ranked as on the site, with its topic slugs.</summary>
public sealed record PeriodPaper(DigestCandidate Candidate, List<string> Topics);

/// <summary>
/// The papers of a period that a subscriber wants and has not been sent yet, ranked as on the site. The period's papers are
/// read once per run and each subscriber's filters applied in memory: one query per period instead of one per subscriber.
/// </summary>
public static class DigestSelection
{
    /// <summary>Every visible paper listed in the period, best first (votes, then upstream upvotes, then newest).</summary>
    public static Task<List<PeriodPaper>> PeriodPapersAsync(CatalogDbContext db, DigestPeriod period, CancellationToken ct) =>
        db.Papers.AsNoTracking().Visible().ListedBetween(period.From, period.To).Ranked()
            .Select(p => new PeriodPaper(
                new DigestCandidate(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.AiSummary, p.Abstract, p.AiKeywords, p.VoteCount, p.Upvotes, p.GithubRepo),
                p.Topics.Select(t => t.Topic.Slug).ToList()))
            .ToListAsync(ct);

    /// <summary>(subscription, paper) pairs already sent, for these subscriptions and the papers of this period.</summary>
    public static async Task<HashSet<(long SubscriptionId, long PaperId)>> AlreadySentAsync(CatalogDbContext db, IReadOnlyCollection<long> subscriptionIds,
        DigestPeriod period, CancellationToken ct)
    {
        var ids = subscriptionIds.ToList();
        var periodPapers = db.Papers.ListedBetween(period.From, period.To).Select(p => p.Id);
        var sent = await db.DigestPapers.AsNoTracking().Where(d => ids.Contains(d.SubscriptionId) && periodPapers.Contains(d.PaperId))
            .Select(d => new { d.SubscriptionId, d.PaperId }).ToListAsync(ct);
        return sent.Select(d => (d.SubscriptionId, d.PaperId)).ToHashSet();
    }

    /// <summary>One subscriber's digest (pure): topics (any), minimum votes, keywords, never a paper already sent, at most MaxPapers.</summary>
    public static List<DigestCandidate> Select(Subscription s, IEnumerable<PeriodPaper> papers, ISet<(long, long)> sent) =>
        papers.Where(p => (s.Topics.Count == 0 || p.Topics.Any(t => s.Topics.Contains(t, StringComparer.Ordinal)))
                && p.Candidate.VoteCount >= s.MinVotes && !sent.Contains((s.Id, p.Candidate.Id)) && Wanted(s, p.Candidate))
            .Take(s.MaxPapers).Select(p => p.Candidate).ToList();

    /// <summary>One subscriber, one period (the preview page).</summary>
    public static async Task<List<DigestCandidate>> SelectAsync(CatalogDbContext db, Subscription s, DigestPeriod period, CancellationToken ct) =>
        Select(s, await PeriodPapersAsync(db, period, ct), await AlreadySentAsync(db, [s.Id], period, ct));

    /// <summary>Include keywords: any in title or abstract (when given). Mute keywords: none in title, abstract, AI summary or AI keywords.</summary>
    public static bool Wanted(Subscription s, DigestCandidate c)
    {
        if (s.IncludeKeywords.Count > 0 && !s.IncludeKeywords.Any(k => Has(c.Title, k) || Has(c.Abstract, k))) return false;
        return !s.MuteKeywords.Any(k => Has(c.Title, k) || Has(c.Abstract, k) || Has(c.AiSummary, k) || c.AiKeywords.Any(a => Has(a, k)));
    }

    private static bool Has(string? text, string keyword) =>
        !string.IsNullOrWhiteSpace(keyword) && text is not null && text.Contains(keyword.Trim(), StringComparison.OrdinalIgnoreCase);
}
