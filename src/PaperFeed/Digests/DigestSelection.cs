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

/// <summary>The papers of a period that a subscriber wants and has not been sent yet, ranked as on the site.</summary>
public static class DigestSelection
{
    public static async Task<List<DigestCandidate>> SelectAsync(CatalogDbContext db, Subscription s, DigestPeriod period, int maxCandidates,
        CancellationToken ct)
    {
        var papers = db.Papers.AsNoTracking().Visible().ListedBetween(period.From, period.To);
        if (s.Topics.Count > 0)
        {
            var slugs = s.Topics.ToArray();
            papers = papers.Where(p => p.Topics.Any(t => slugs.Contains(t.Topic.Slug)));
        }
        if (s.MinVotes > 0) papers = papers.Where(p => p.VoteCount >= s.MinVotes);
        var id = s.Id;
        papers = papers.Where(p => !db.DigestPapers.Any(d => d.SubscriptionId == id && d.PaperId == p.Id));
        // Keyword filters run in C# (portable across providers) on a capped, ranked candidate set.
        var filtered = s.IncludeKeywords.Count > 0 || s.MuteKeywords.Count > 0;
        var candidates = await papers.Ranked()
            .Take(filtered ? maxCandidates : s.MaxPapers)
            .Select(p => new DigestCandidate(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.AiSummary, p.Abstract, p.AiKeywords, p.VoteCount, p.Upvotes, p.GithubRepo))
            .ToListAsync(ct);
        return candidates.Where(c => Wanted(s, c)).Take(s.MaxPapers).ToList();
    }

    /// <summary>Include keywords: any in title or abstract (when given). Mute keywords: none in title, abstract, AI summary or AI keywords.</summary>
    public static bool Wanted(Subscription s, DigestCandidate c)
    {
        if (s.IncludeKeywords.Count > 0 && !s.IncludeKeywords.Any(k => Has(c.Title, k) || Has(c.Abstract, k))) return false;
        return !s.MuteKeywords.Any(k => Has(c.Title, k) || Has(c.Abstract, k) || Has(c.AiSummary, k) || c.AiKeywords.Any(a => Has(a, k)));
    }

    private static bool Has(string? text, string keyword) =>
        !string.IsNullOrWhiteSpace(keyword) && text is not null && text.Contains(keyword.Trim(), StringComparison.OrdinalIgnoreCase);
}
