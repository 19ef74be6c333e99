using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Sources;

public static class SourceSeeder
{
    /// <summary>Creates the configured sources the catalog does not have yet (matched by name); never edits existing ones.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        var seeds = services.GetRequiredService<IOptions<SourcesOptions>>().Value.Seed;
        var existing = await db.Sources.Select(s => s.Name).ToListAsync();
        foreach (var seed in seeds.Where(s => !existing.Contains(s.Name)))
            db.Sources.Add(new Source { Name = seed.Name, Kind = seed.Kind, Url = seed.Url, FallbackUrl = seed.FallbackUrl, IntervalMinutes = seed.IntervalMinutes, Curated = seed.Curated });
        await db.SaveChangesAsync();
    }
}
