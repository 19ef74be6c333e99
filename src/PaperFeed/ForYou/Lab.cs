using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;

namespace PaperFeed.ForYou;

/// <summary>A paper of the week as the lab sees it: where it leads, and why it is there.</summary>
public sealed record LabPaper(long Id, string Title, string Url, RankReason? Reason, double Score);

/// <summary>One opted-in member and the week's papers nearest their interests (empty when they have given no signal).</summary>
public sealed record LabMember(string Name, List<LabPaper> Papers);

/// <summary>A paper relevant to some members that none of the opted-in members has opened.</summary>
public sealed record LabUnopened(LabPaper Paper, List<string> Members);

public sealed record LabWeek(DateOnly From, DateOnly To, List<LabMember> Members, List<LabUnopened> Unopened);

/// <summary>
/// /lab: this week's papers (the ISO week of the latest listing day, as on /papers/week) ranked by each member who opted in
/// (<see cref="Accounts.User.ShareWithLab"/>) with the same model and follows as their For you order, and the papers in some
/// member's top <see cref="RelevantPerMember"/> that no opted-in member has opened. Members who did not opt in are not read at all.
/// </summary>
public static class Lab
{
    public const int ShownPerMember = 5;
    /// <summary>How deep in a member's ranking a paper still counts as "relevant to someone".</summary>
    public const int RelevantPerMember = 10;
    public const int MaxUnopened = 30;
    /// <summary>A lab, not a site: the page ranks for at most this many members (each ranking ~10–50 ms).</summary>
    public const int MaxMembers = 100;

    /// <summary>The name a member shows on /lab: their handle, else the part of their address before the @ (the opt-in says so).</summary>
    public static string DisplayName(string? handle, string? email) =>
        !string.IsNullOrEmpty(handle) ? handle : email is null ? "member" : email.Split('@')[0];

    public static async Task<LabWeek?> LoadAsync(CatalogDbContext db, CancellationToken ct)
    {
        if (await db.LatestDayAsync(ct) is not { } latest) return null;
        var monday = latest.AddDays(-(((int)latest.DayOfWeek + 6) % 7));
        var sunday = monday.AddDays(6);
        var members = await db.Users.AsNoTracking().Where(u => u.ShareWithLab).OrderBy(u => u.Handle ?? u.Email).Take(MaxMembers)
            .Select(u => new { u.Id, u.Handle, u.Email }).ToListAsync(ct);
        if (members.Count == 0) return new LabWeek(monday, sunday, [], []);

        // What the mute rules read of a paper too (title, abstract, AI summary and keywords, authors, categories), as in the digest.
        var week = await db.Papers.AsNoTracking().Visible().ListedBetween(monday, sunday).Ranked().Take(ForYouRanking.MaxCandidates)
            .Select(p => new PeriodPaper(
                new DigestCandidate(p.Id, p.Key, p.ArxivId, p.Title, p.Authors, p.AiSummary, p.Abstract, p.AiKeywords, p.VoteCount, p.Upvotes, p.GithubRepo, p.Categories),
                p.Topics.Select(t => t.Topic.Slug).ToList()))
            .ToListAsync(ct);
        var texts = week.Select(w => w.Candidate.ToText()).ToList();
        var byId = week.ToDictionary(w => w.Candidate.Id, w => w.Candidate);
        var facts = week.ToDictionary(w => w.Candidate.Id, w => new PaperFacts(w.Candidate.Authors, w.Topics));
        // The week's terms are made once for every member, as the digest does for a period.
        var termCounts = texts.ToDictionary(t => t.Id, t => ReaderModel.TermCounts(t, ReaderSettings.Default));
        var ids = members.Select(m => m.Id).ToList();
        var signals = await ForYouRanking.SignalsAsync(db, ids, ct);
        var follows = await Follows.ForReadersAsync(db, ids, ct);
        var mutes = await MuteRules.ForReadersAsync(db, ids, ct);

        var result = new List<LabMember>();
        var relevant = new Dictionary<long, (LabPaper Paper, List<string> Members)>();
        foreach (var member in members)
        {
            var name = DisplayName(member.Handle, member.Email);
            var own = signals.GetValueOrDefault(member.Id) ?? [];
            var follow = follows.GetValueOrDefault(member.Id) ?? FollowSet.None;
            if (own.Count == 0 && follow.IsEmpty) { result.Add(new LabMember(name, [])); continue; }
            var notForMe = own.Where(s => s.Kind == SignalKind.NotForMe).Select(s => s.Paper.Id).ToHashSet();
            // The member's mute rules hold here as on their own lists: a muted paper is neither theirs nor "relevant to someone" through them.
            var muted = mutes.GetValueOrDefault(member.Id) ?? [];
            var candidates = texts.Where(t => !notForMe.Contains(t.Id) && (muted.Count == 0 || !MuteRules.Hides(muted, byId[t.Id]))).ToList();
            var model = ReaderModel.Train(own, candidates, known: termCounts);
            var ranked = Follows.Apply(model.Rank(candidates), follow, facts);
            // Only papers the model can explain: a paper with no reason is not "relevant" to the member, just unranked.
            var top = ranked.Where(r => r.Score.Reason is not null).Take(RelevantPerMember)
                .Select(r => new LabPaper(r.Paper.Id, r.Paper.Title, PaperLinks.PagePath(r.Paper.Key, r.Paper.Title),
                    r.Score.Reason! with { Words = model.Words(r.Paper) }, r.Score.Score)).ToList();
            result.Add(new LabMember(name, [.. top.Take(ShownPerMember)]));
            foreach (var paper in top)
            {
                if (!relevant.TryGetValue(paper.Id, out var entry)) relevant[paper.Id] = entry = (paper, []);
                else if (paper.Score > entry.Paper.Score) relevant[paper.Id] = entry = (paper, entry.Members);
                entry.Members.Add(name);
            }
        }

        var relevantIds = relevant.Keys.ToList();
        // Opened by an opted-in member: the others' opened papers are private, so they neither count nor show.
        var opened = (await db.OpenedPapers.AsNoTracking().Where(o => relevantIds.Contains(o.PaperId) && ids.Contains(o.UserId))
            .Select(o => o.PaperId).Distinct().ToListAsync(ct)).ToHashSet();
        var unopened = relevant.Values.Where(r => !opened.Contains(r.Paper.Id)).OrderByDescending(r => r.Paper.Score).Take(MaxUnopened)
            .Select(r => new LabUnopened(r.Paper, r.Members)).ToList();
        return new LabWeek(monday, sunday, result, unopened);
    }
}
