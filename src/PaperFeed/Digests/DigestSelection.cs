using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;

namespace PaperFeed.Digests;

/// <summary>A candidate paper for a digest, with what the keyword filters read.</summary>
public sealed record DigestCandidate(long Id, string Key, string? ArxivId, string Title, List<string> Authors, string? AiSummary,
    string? Abstract, List<string> AiKeywords, int VoteCount, int Upvotes, string? GithubRepo, List<string>? Categories = null)
{
    public PaperFeed.ForYou.PaperText ToText() => new(Id, Key, Title, Abstract, Categories ?? []);

    public DigestItem ToItem(string baseUrl) => new(Id, Title, Authors, AiSummary ?? PaperLinks.Shorten(Abstract, 240), VoteCount, Upvotes,
        baseUrl.TrimEnd('/') + PaperLinks.PagePath(Key, Title),
        ArxivId is null ? null : $"https://arxiv.org/abs/{ArxivId}", ArxivId is null ? null : $"https://arxiv.org/pdf/{ArxivId}", GithubRepo);

    /// <summary>The item with its reason line (absolute link to the liked paper) and its 👍 / 👎 links.</summary>
    public DigestItem ToItem(string baseUrl, PaperFeed.ForYou.RankReason? reason, string? upUrl, string? notForMeUrl) => ToItem(baseUrl) with
    {
        Reason = reason is null ? null : $"{reason.Lead} “{reason.Title}”" + (reason.Words.Count == 0 ? "" : " · words: " + string.Join(", ", reason.Words)),
        ReasonUrl = reason is null ? null : baseUrl.TrimEnd('/') + reason.Url,
        UpUrl = upUrl, NotForMeUrl = notForMeUrl,
    };
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
                new DigestCandidate(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.AiSummary, p.Abstract, p.AiKeywords, p.VoteCount, p.Upvotes, p.GithubRepo, p.Categories),
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
    /// <param name="mutes">The subscription's mute rules (<see cref="MuteRules.ForSubscription"/>); null: the subscription's own keywords.</param>
    public static List<DigestCandidate> Select(Subscription s, IEnumerable<PeriodPaper> papers, ISet<(long, long)> sent, IReadOnlyList<Mute>? mutes = null)
    {
        mutes ??= MuteRules.ForSubscription(s, NoRules);
        return papers.Where(p => (s.Topics.Count == 0 || p.Topics.Any(t => s.Topics.Contains(t, StringComparer.Ordinal)))
                && p.Candidate.VoteCount >= s.MinVotes && !sent.Contains((s.Id, p.Candidate.Id)) && Wanted(s, p.Candidate, mutes))
            .Take(s.MaxPapers).Select(p => p.Candidate).ToList();
    }

    private static readonly Dictionary<string, List<Mute>> NoRules = [];

    /// <summary>
    /// The digest ranked for the reader (<see cref="PaperFeed.ForYou.ReaderModel"/>): the same filters as <see cref="Select"/>, then
    /// every wanted paper scored against the reader's signals, "not for me" papers left out, papers by followed authors or on followed
    /// topics first (<see cref="Follows.Apply"/>, as on the site's lists), the best MaxPapers with their reason.
    /// <paramref name="termCounts"/> holds the period's papers' terms, made once per period.
    /// </summary>
    public static List<(DigestCandidate Candidate, PaperFeed.ForYou.RankReason? Reason)> SelectRanked(Subscription s, IEnumerable<PeriodPaper> papers,
        ISet<(long, long)> sent, IReadOnlyList<PaperFeed.ForYou.ProfilePaper> signals, IReadOnlyDictionary<long, Dictionary<int, int>> termCounts,
        IReadOnlyList<Mute>? mutes = null, FollowSet? follows = null)
    {
        mutes ??= MuteRules.ForSubscription(s, NoRules);
        var notForMe = signals.Where(p => p.Kind == PaperFeed.ForYou.SignalKind.NotForMe).Select(p => p.Paper.Id).ToHashSet();
        var wanted = papers.Where(p => (s.Topics.Count == 0 || p.Topics.Any(t => s.Topics.Contains(t, StringComparer.Ordinal)))
                && p.Candidate.VoteCount >= s.MinVotes && !sent.Contains((s.Id, p.Candidate.Id)) && !notForMe.Contains(p.Candidate.Id) && Wanted(s, p.Candidate, mutes))
            .ToList();
        var byId = wanted.ToDictionary(p => p.Candidate.Id, p => p.Candidate);
        var texts = wanted.Select(p => p.Candidate.ToText()).ToList();
        var model = PaperFeed.ForYou.ReaderModel.Train(signals, texts, known: termCounts);
        var ranked = model.Rank(texts);
        if (follows is { IsEmpty: false })
            ranked = Follows.Apply(ranked, follows, wanted.ToDictionary(p => p.Candidate.Id, p => new PaperFacts(p.Candidate.Authors, p.Topics)));
        return ranked.Take(s.MaxPapers).Select(r => (byId[r.Paper.Id], r.Score.Reason is { } reason ? reason with { Words = model.Words(r.Paper) } : null)).ToList();
    }

    /// <summary>The terms of a period's papers for <see cref="SelectRanked"/>, made once for all its subscribers.</summary>
    public static Dictionary<long, Dictionary<int, int>> TermCounts(IEnumerable<PeriodPaper> papers) =>
        papers.ToDictionary(p => p.Candidate.Id, p => PaperFeed.ForYou.ReaderModel.TermCounts(p.Candidate.ToText(), PaperFeed.ForYou.ReaderSettings.Default));

    /// <summary>One subscriber, one period (the preview page).</summary>
    public static async Task<List<DigestCandidate>> SelectAsync(CatalogDbContext db, Subscription s, DigestPeriod period, CancellationToken ct) =>
        Select(s, await PeriodPapersAsync(db, period, ct), await AlreadySentAsync(db, [s.Id], period, ct),
            s.UserId is null ? null : await MuteRules.ForReaderAsync(db, s.UserId, ct));

    /// <summary>
    /// Include keywords: any in title or abstract (when given). Mute rules (<see cref="MuteRules"/>; null: the subscription's own
    /// keywords): none hides the paper.
    /// </summary>
    public static bool Wanted(Subscription s, DigestCandidate c, IReadOnlyList<Mute>? mutes = null)
    {
        if (s.IncludeKeywords.Count > 0 && !s.IncludeKeywords.Any(k => Has(c.Title, k) || Has(c.Abstract, k))) return false;
        return !MuteRules.Hides(mutes ?? MuteRules.ForSubscription(s, NoRules), c);
    }

    private static bool Has(string? text, string keyword) =>
        !string.IsNullOrWhiteSpace(keyword) && text is not null && text.Contains(keyword.Trim(), StringComparison.OrdinalIgnoreCase);
}
