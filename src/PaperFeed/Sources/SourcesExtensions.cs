using PaperFeed.Papers;

namespace PaperFeed.Sources;

public static class SourcesExtensions
{
    public static void AddSources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<SourceFetcher>((services, http) =>
            {
                var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SourcesOptions>>().Value;
                http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
                // The fetcher applies its own timeout per request; this one only stops a stuck handler.
                http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds + 5);
            })
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var allowPrivate = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SourcesOptions>>().Value.AllowPrivateAddresses;
                return new SocketsHttpHandler
                {
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                    // The fetcher follows redirects itself, checking each target first (http/https only).
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => SourceFetcher.ConnectAsync(context, allowPrivate, ct),
                };
            });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<HostThrottler>();
        builder.Services.AddScoped<PaperIngestor>();
        builder.Services.AddScoped<PaperAdmin>();
        builder.Services.AddScoped<SourceRunner>();
        builder.Services.AddScoped<FetchSourcesJob>();
        builder.Services.AddScoped<EnrichPapersJob>();
        builder.Services.AddScoped<Backfill>();
    }
}
