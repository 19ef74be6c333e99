using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Topics;

/// <summary>
/// The tagger for the current topics, built once per process. Its stamp is the topics' content, read on each
/// use (a few dozen small rows): an edit made on any instance is seen here without a message between instances.
/// </summary>
public sealed class TopicTaggerCache(ILogger<TopicTagger> logger)
{
    private sealed record Entry(string Stamp, TopicTagger Tagger);

    // Building compiles a regex per topic (about a second): built taggers are shared by every host of the process with
    // the same topics — the integration tests start hundreds of hosts; a site or a command has one.
    private static readonly ConcurrentDictionary<string, TopicTagger> Built = new();
    private const int MaxBuilt = 8;

    private Entry? _current;

    public async Task<TopicTagger> GetAsync(CatalogDbContext db, CancellationToken ct)
    {
        var topics = await db.Topics.AsNoTracking().OrderBy(t => t.Id)
            .Select(t => new TopicDefinition(t.Id, t.Kind, t.Phrases)).ToListAsync(ct);
        var stamp = string.Join('\u001e', topics.Select(t => $"{t.Id}\u001f{t.Kind}\u001f{string.Join('\u001f', t.Phrases)}"));
        var current = _current;
        if (current?.Stamp == stamp) return current.Tagger;
        // Two requests may build at once after a change; both results are equal, the last one stays.
        if (!Built.TryGetValue(stamp, out var built))
        {
            if (Built.Count >= MaxBuilt) Built.Clear(); // topics edited many times: forget the old versions
            built = Built[stamp] = TopicTagger.Build(topics);
        }
        var tagger = built.WithLogger(logger);
        _current = new Entry(stamp, tagger);
        return tagger;
    }
}
