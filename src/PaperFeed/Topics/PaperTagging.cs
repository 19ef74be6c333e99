using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Topics;

public sealed record TagResult(int Papers, int Added, int Removed);

/// <summary>Sets the topics of some papers to what the tagger says: the one code path for ingest and the retag job.</summary>
public sealed class PaperTagging(CatalogDbContext db, TopicTaggerCache cache)
{
    /// <summary>The tagger for the current topics (it reads them through this context: not while a COPY runs on it).</summary>
    public Task<TopicTagger> TaggerAsync(CancellationToken ct = default) => cache.GetAsync(db, ct);

    /// <summary>The topics of papers not stored yet (no rows to compare with), for ingest's bulk insert: on every core (the tagger is thread-safe), no database.</summary>
    public static List<(long PaperId, int TopicId)> TopicsOf(TopicTagger tagger, IEnumerable<Papers.Paper> papers) =>
        [.. papers.AsParallel().AsOrdered().SelectMany(p => tagger.Tag(p.Title, p.Abstract, p.AiKeywords, p.Categories).Order().Select(topicId => (p.Id, topicId)))];

    /// <summary>Replaces the PaperTopic rows of these papers, touching only the rows that differ.</summary>
    public async Task<TagResult> TagAsync(IReadOnlyCollection<long> paperIds, CancellationToken ct = default)
    {
        if (paperIds.Count == 0) return new TagResult(0, 0, 0);
        var tagger = await cache.GetAsync(db, ct);
        var ids = paperIds.Distinct().ToList();
        var papers = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Title, p.Abstract, p.AiKeywords, p.Categories }).ToListAsync(ct);
        var existing = (await db.PaperTopics.AsNoTracking().Where(pt => ids.Contains(pt.PaperId))
                .Select(pt => new { pt.PaperId, pt.TopicId }).ToListAsync(ct))
            .Select(pt => (pt.PaperId, pt.TopicId)).ToHashSet();
        var wanted = papers
            .SelectMany(p => tagger.Tag(p.Title, p.Abstract, p.AiKeywords, p.Categories).Select(topicId => (p.Id, topicId)))
            .ToHashSet();

        var removed = existing.Where(pt => !wanted.Contains(pt)).ToList();
        var added = wanted.Where(pt => !existing.Contains(pt)).ToList();
        db.PaperTopics.RemoveRange(removed.Select(pt => new PaperTopic { PaperId = pt.PaperId, TopicId = pt.TopicId }));
        db.PaperTopics.AddRange(added.Select(pt => new PaperTopic { PaperId = pt.Item1, TopicId = pt.Item2 }));
        if (removed.Count + added.Count > 0) await db.SaveChangesAsync(ct);
        return new TagResult(papers.Count, added.Count, removed.Count);
    }
}
