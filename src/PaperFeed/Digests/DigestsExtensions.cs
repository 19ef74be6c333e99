namespace PaperFeed.Digests;

public static class DigestsExtensions
{
    /// <summary>Subscriptions and their links. Minimal stand-in on this branch; the subscription flow owns it.</summary>
    public static void AddDigests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DigestLinks>();
    }
}
