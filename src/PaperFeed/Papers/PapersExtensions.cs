using PaperFeed.Papers.Related;

namespace PaperFeed.Papers;

public static class PapersExtensions
{
    /// <summary>The catalog's own background work: related papers and trending scores.</summary>
    public static void AddPapers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RelatedPapersJob>();
        builder.Services.AddScoped<TrendingJob>();
        builder.Services.AddScoped<PaperSubmission>();
    }
}
