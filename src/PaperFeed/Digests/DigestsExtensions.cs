using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaperFeed.Digests;

public static class DigestsExtensions
{
    /// <summary>Subscriptions and digests: options, signed links, the expiry of unconfirmed requests.</summary>
    public static void AddDigests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<BounceOptions>().BindConfiguration(BounceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<DigestLinks>();
        // Links are absolute (App:BaseUrl); the CLI (send-digests) has no site, so it needs these too.
        builder.Services.TryAddScoped<Accounts.AccountLinks>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddOptions<Site.AppOptions>().BindConfiguration(Site.AppOptions.Section);
        builder.Services.AddScoped<SubscriptionCleanup>();
        builder.Services.AddScoped<AccountSubscriptions>();
        builder.Services.AddScoped<TestDigest>();
        builder.Services.AddScoped<DigestAdministration>();
    }
}
