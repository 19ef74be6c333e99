using Serilog;

namespace PaperFeed.Site;

public static class SiteExtensions
{
    public static void AddLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext());

    public static void AddSite(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AppOptions>().BindConfiguration(AppOptions.Section).ValidateDataAnnotations()
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "App:TimeZone is not a time zone this machine knows (use an IANA id such as Europe/Paris)")
            .ValidateOnStart();
        // The home page is the latest day.
        builder.Services.AddRazorPages(o => o.Conventions.AddPageRoute("/Papers/Day", ""));
        // The defaults leave out the feeds and the SVG icon.
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.MimeTypes = [.. Microsoft.AspNetCore.ResponseCompression.ResponseCompressionDefaults.MimeTypes,
                "application/atom+xml", "application/rss+xml", "application/feed+json", "image/svg+xml"];
        });
        builder.Services.AddPageCache();
        builder.AddTrustedProxies();
    }

    public static void UseSite(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/error", "?code={0}");
        app.UseSerilogRequestLogging();
        app.UseResponseCompression();
        app.UseStaticFiles();
        app.UseRouting();
    }

    /// <summary>After sign-in and authorization: the output cache, then the pages.</summary>
    public static void MapSite(this WebApplication app)
    {
        // ?view=compact|cards is remembered before the cache answers (a response that sets a cookie is not stored).
        app.Use((context, next) =>
        {
            Papers.ListDisplay.Remember(context);
            return next(context);
        });
        app.UseOutputCache();
        app.MapRazorPages();
    }
}
