using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Topics;

public static class TopicSeeder
{
    /// <summary>
    /// Creates the configured curated topics and the arXiv category topics the catalog does not have yet
    /// (matched by slug); an existing topic is never changed, so an administrator's edits stay.
    /// </summary>
    /// <returns>How many topics were created.</returns>
    public static async Task<int> SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var options = services.GetRequiredService<IOptions<TopicsOptions>>().Value;
        var existing = (await db.Topics.Select(t => t.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

        var created = new List<Topic>();
        foreach (var (seed, i) in options.Curated.Select((s, i) => (s, i)))
            created.Add(new Topic
            {
                Slug = seed.Slug, Name = seed.Name.Trim(), Kind = TopicKind.Curated, SortOrder = i,
                Phrases = [.. seed.Phrases.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim())],
                Description = string.IsNullOrWhiteSpace(seed.Description) ? null : seed.Description.Trim(),
            });
        if (options.ArxivCategories)
            foreach (var (category, i) in ArxivCategories.All.Select((c, i) => (c, i)))
                created.Add(new Topic { Slug = category.Slug, Name = category.Name, Kind = TopicKind.Category, SortOrder = i, Phrases = [category.Code] });

        created = [.. created.Where(t => existing.Add(t.Slug))];
        if (created.Count == 0) return 0;
        var before = existing.Count - created.Count;
        db.Topics.AddRange(created);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment may have seeded them first (the unique slug refused ours).
            db.ChangeTracker.Clear();
            if (await db.Topics.CountAsync(ct) > before) return 0;
            throw;
        }
        return created.Count;
    }
}
