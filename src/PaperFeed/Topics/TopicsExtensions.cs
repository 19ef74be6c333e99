namespace PaperFeed.Topics;

public static class TopicsExtensions
{
    /// <summary>Topics: the seeded defaults, the tagger used at ingest, and the job that re-tags every paper.</summary>
    public static void AddTopics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TopicsOptions>().BindConfiguration(TopicsOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TopicTaggerCache>();
        builder.Services.AddScoped<PaperTagging>();
        builder.Services.AddScoped<RetagJob>();
    }
}
