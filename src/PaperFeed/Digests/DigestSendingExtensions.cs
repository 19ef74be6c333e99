using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Site;

namespace PaperFeed.Digests;

public static class DigestSendingExtensions
{
    /// <summary>Composing (Razor component rendered outside a request) and sending digests; the send-digests job.</summary>
    public static void AddDigestSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DigestSendingOptions>().BindConfiguration(DigestSendingOptions.Section).ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DigestComposer>();
        builder.Services.AddSingleton<DigestMessages>();
        builder.Services.AddScoped<DigestSender>();
        builder.Services.AddScoped<SendDigestsJob>();
    }
}
