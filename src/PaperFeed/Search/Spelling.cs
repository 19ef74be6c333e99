using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;

namespace PaperFeed.Search;

/// <summary>
/// "Showing results for …": a query's words that no paper title holds are corrected to the most frequent title word one
/// edit away (two for words of 8 letters or more; two swapped letters count as one edit). Asked only when the words found
/// nothing, so a query that finds papers never pays for it. The titles' words are kept in memory and read again
/// incrementally (new papers by id) at most once a minute: ~1 MB for 75,000 papers.
/// </summary>
public sealed class Spelling(IServiceScopeFactory scopes, TimeProvider time)
{
    private const int MinLength = 4;
    private static readonly TimeSpan Refresh = TimeSpan.FromMinutes(1);
    // A first search on a large catalog waits at most this long for the titles; it is answered uncorrected meanwhile.
    private static readonly TimeSpan FirstLoadWait = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<List<string>> _byLength = [];
    private long _lastId;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private Task? _reading;

    /// <summary>The query with its unknown words corrected, or null when there is nothing to correct (or phrases and author: filters, which are taken as typed).</summary>
    public async Task<string?> CorrectAsync(SearchQuery query, CancellationToken ct)
    {
        if (query.Phrases.Count > 0 || query.Authors.Count > 0 || query.Terms.Count == 0) return null;
        var reading = Read();
        if (!reading.IsCompleted) await Task.WhenAny(reading, Task.Delay(FirstLoadWait, time, ct));
        var changed = false;
        var words = new List<string>(query.Terms.Count);
        lock (_lock)
        {
            foreach (var term in query.Terms)
            {
                var word = Correct(term);
                changed |= word != term;
                words.Add(word);
            }
        }
        return changed ? string.Join(' ', words) : null;
    }

    /// <summary>One read of new titles at a time, started when the last is older than <see cref="Refresh"/>.</summary>
    private Task Read()
    {
        lock (_lock)
        {
            if (_reading is { IsCompleted: false } || time.GetUtcNow() - _readAt < Refresh) return _reading ?? Task.CompletedTask;
            _readAt = time.GetUtcNow();
            return _reading = Task.Run(ReadNewTitlesAsync);
        }
    }

    private async Task ReadNewTitlesAsync()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        while (true)
        {
            long after;
            lock (_lock) after = _lastId;
            var batch = await db.Papers.AsNoTracking().Where(p => p.Id > after).OrderBy(p => p.Id).Take(20_000)
                .Select(p => new { p.Id, p.Title }).ToListAsync();
            if (batch.Count == 0) return;
            lock (_lock)
            {
                foreach (var paper in batch)
                    foreach (var word in SearchQuery.SplitWords(paper.Title))
                        if (word.Length >= MinLength && !word.Any(char.IsDigit)) Add(word);
                _lastId = batch[^1].Id;
            }
        }
    }

    private void Add(string word)
    {
        if (_counts.TryGetValue(word, out var count))
        {
            _counts[word] = count + 1;
            return;
        }
        _counts[word] = 1;
        while (_byLength.Count <= word.Length) _byLength.Add([]);
        _byLength[word.Length].Add(word);
    }

    private string Correct(string term)
    {
        if (term.Length < MinLength || term.Any(char.IsDigit) || _counts.ContainsKey(term)) return term;
        var most = term.Length >= 8 ? 2 : 1;
        string? best = null;
        var bestDistance = most + 1;
        var bestCount = 0;
        for (var length = Math.Max(MinLength, term.Length - most); length <= term.Length + most && length < _byLength.Count; length++)
            foreach (var word in _byLength[length])
            {
                var distance = Distance(term, word, Math.Min(most, bestDistance));
                if (distance > most) continue;
                var count = _counts[word];
                if (distance < bestDistance || (distance == bestDistance && count > bestCount))
                    (best, bestDistance, bestCount) = (word, distance, count);
            }
        return best ?? term;
    }

    /// <summary>Optimal string alignment distance (insert, delete, substitute, swap of neighbours), or more than <paramref name="bound"/> as soon as it must be.</summary>
    internal static int Distance(string a, string b, int bound)
    {
        if (Math.Abs(a.Length - b.Length) > bound) return bound + 1;
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowBest = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = Math.Min(d, previous2[j - 2] + 1);
                current[j] = d;
                rowBest = Math.Min(rowBest, d);
            }
            if (rowBest > bound) return bound + 1;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
