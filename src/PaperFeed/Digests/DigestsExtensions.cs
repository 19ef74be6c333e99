namespace PaperFeed.Digests;

public static class DigestsExtensions
{
    /// <summary>Subscriptions and digests: options, signed links, the expiry of unconfirmed requests.</summary>
    public static void AddDigests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DigestLinks>();
        builder.Services.AddScoped<SubscriptionCleanup>();
    }
}
