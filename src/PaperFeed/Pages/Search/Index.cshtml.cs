using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;
using PaperFeed.Search;
using PaperFeed.Site;

namespace PaperFeed.Pages.Search;

/// <summary>/search?q=: papers ranked by relevance, matches marked; also as a feed (?format=atom|rss|json).</summary>
public sealed class IndexModel(CatalogDbContext db, HybridSearch engine, IOptions<AppOptions> site, IOptions<SearchOptions> search) : PageModel
{
    public string Q { get; private set; } = "";
    /// <summary>Null when the text holds no words to look for (empty, only punctuation).</summary>
    public SearchQuery? Query { get; private set; }
    public ListView? View { get; private set; }
    public List<SearchHit> Hits { get; private set; } = [];
    /// <summary>True when the matches reached the candidate bound, so only the first of them were ranked.</summary>
    public bool Capped { get; private set; }
    public int Candidates => search.Value.Candidates;
    /// <summary>Papers close in meaning are shown beside those holding the words.</summary>
    public bool Semantic => engine.Enabled;
    /// <summary>Set when a phrase or author filter was checked only on the papers added since then (PostgreSQL bounds that work).</summary>
    public DateTime? CheckedSince { get; private set; }

    /// <summary>The words searched instead when the typed ones found nothing and held a typo ("Showing results for …").</summary>
    public string? Corrected { get; private set; }

    /// <summary>sort=foryou for a signed-in reader: the matches ranked for them instead of by relevance.</summary>
    public bool ForYou { get; private set; }
    /// <summary>Matches the reader's mute rules hide.</summary>
    public int Hidden { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? q, string? sort, [FromQuery(Name = "page")] int? page, string? format, CancellationToken ct)
    {
        if (!ModelState.IsValid || page is < 1 or > 100_000) return BadRequest();
        Q = (q ?? "").Trim();
        if (Q.Length > PaperFilter.MaxQueryLength) Q = Q[..PaperFilter.MaxQueryLength];
        Query = SearchQuery.Parse(Q);
        // No words to look for is an empty result (and an empty feed), never an error.
        var results = Query is null
            ? new SearchResults([], 0, false)
            : await engine.SearchAsync(Q, Query, page ?? 1, site.Value.PageSize, ct);
        // What the results answer: the typed words, or the corrected ones when the typed found nothing.
        var searched = results.Corrected ?? Q;
        // The reader's mute rules: muted hits leave the page; the count is of the muted lexical matches (semantic-only hits are not counted).
        var mutes = Query is null ? [] : await MuteRules.ForReaderAsync(db, User.ReaderId(), ct);
        if (mutes.Count > 0)
        {
            var ids = results.Papers.Select(p => p.Id).ToList();
            var muted = await db.Papers.Where(p => ids.Contains(p.Id)).Muted(mutes).Select(p => p.Id).ToListAsync(ct);
            Hidden = await db.Papers.AsNoTracking().Visible().Matching(db, searched).Muted(mutes).Take(PaperList.MaxCounted + 1).CountAsync(ct);
            results = results with { Papers = [.. results.Papers.Where(p => !muted.Contains(p.Id))], Total = Math.Max(0, results.Total - Hidden) };
        }
        // The matches' first papers in the site's order, ranked for the reader (ForYouRanking); no signals: by relevance.
        if (Query is not null && string.Equals(sort, "foryou", StringComparison.OrdinalIgnoreCase) && User.ReaderId() is { } reader
            && await ForYouRanking.RankAsync(db, reader, db.Papers.AsNoTracking().Visible().Matching(db, searched).Unmuted(mutes), new PaperFilter { Query = searched, Sort = PaperSort.ForYou },
                page ?? 1, site.Value.PageSize, ct) is { } ranked)
        {
            ForYou = true;
            results = new SearchResults(ranked.Papers, ranked.Total, false) { Corrected = results.Corrected };
        }
        Capped = results.Capped;
        CheckedSince = results.CheckedSince;
        Corrected = results.Corrected;
        var marked = Corrected is not null ? SearchQuery.Parse(Corrected) : Query;
        Hits = marked is null ? [] : results.Papers.Select(p => SearchHit.For(p, marked)).ToList();
        var list = new PaperList { Filter = new PaperFilter { Query = Q, Sort = ForYou ? PaperSort.ForYou : PaperSort.Top }, Papers = results.Papers, Total = results.Total, Page = page ?? 1, PageSize = site.Value.PageSize, Hidden = Hidden };
        View = new ListView(list, "/search", $"Search: {Q}");
        return ListView.AsFeed(this, format, View, site.Value.BaseUrl) ?? Page();
    }
}
