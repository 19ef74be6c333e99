using Microsoft.AspNetCore.CookiePolicy;

namespace PaperFeed.Site;

/// <summary>
/// Headers on every response (pages, API, feeds, static files, error pages) and the rules every cookie follows.
/// Scripts only from our own files, no inline script anywhere; nothing may frame the site.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The site's policy. Remote images only from the known thumbnail hosts; fetch() only talks to us.</summary>
    public static readonly string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: " + string.Join(' ', ImageHosts.Known.Select(h => "https://" + h)) + "; " +
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'";

    /// <summary>The same, with inline styles allowed: only where an email's or a dashboard's own markup needs them.</summary>
    public static readonly string WithInlineStyles = ContentSecurityPolicy.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    /// <summary>First in the pipeline, so that error pages and static files get the headers too.</summary>
    public static void UseSecurityHeaders(this WebApplication app)
    {
        // Every cookie (sign-in, antiforgery, any later one): never readable by script, not sent by other sites' posts,
        // and Secure whenever the request came over HTTPS (behind a proxy: ASPNETCORE_FORWARDEDHEADERS_ENABLED=true).
        app.UseCookiePolicy(new CookiePolicyOptions
        {
            HttpOnly = HttpOnlyPolicy.Always,
            MinimumSameSitePolicy = SameSiteMode.Lax,
            Secure = CookieSecurePolicy.SameAsRequest,
        });
        app.Use((context, next) =>
        {
            // Set as the response starts: by then routing has chosen the endpoint, and a re-executed error page keeps them.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var inlineStyles = context.GetEndpoint()?.Metadata.GetMetadata<AllowInlineStylesAttribute>() is not null;
                headers.ContentSecurityPolicy = inlineStyles ? WithInlineStyles : ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}

/// <summary>
/// On a page or endpoint whose markup is not ours to restyle (the digest email shown in the preview's srcdoc frame, which
/// inherits the page's policy; Hangfire's dashboard): inline styles are allowed there. Scripts never are.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowInlineStylesAttribute : Attribute;

/// <summary>
/// The hosts whose images a page may show: those the source kinds serve thumbnails from (Hugging Face's CDN). Any other
/// image address in a feed could count who reads which page (a tracking pixel), so it is neither rendered nor allowed by
/// the policy.
/// </summary>
public static class ImageHosts
{
    public static readonly string[] Known = ["cdn-thumbnails.huggingface.co", "huggingface.co"];

    /// <summary>The address itself when it is https, on the default port, on exactly a known host; else null.</summary>
    public static string? Allowed(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && uri.UserInfo.Length == 0
        && Known.Contains(uri.Host, StringComparer.OrdinalIgnoreCase) ? url : null;
}
