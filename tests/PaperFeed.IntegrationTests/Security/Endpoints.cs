using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>An endpoint of the app as the tests reach it: a sample address, and the page handler when it is a page's POST.</summary>
public sealed record SiteEndpoint(string Template, string Url, string? Handler, Endpoint Endpoint)
{
    public override string ToString() => Handler is null ? Template : $"{Template} ({Handler})";
}

/// <summary>
/// The app's endpoints, read from its own endpoint data source, so a page or endpoint added later is tested without
/// anyone remembering to list it. Route parameters get sample values by name; an unknown name fails the test, loudly.
/// </summary>
public static class Endpoints
{
    public static IReadOnlyList<Endpoint> All(PaperFeedApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints;

    /// <summary>Every page handler that answers POST, and every non-page endpoint that accepts POST, with a sample address.</summary>
    public static List<SiteEndpoint> Posts(PaperFeedApp app, IReadOnlyDictionary<string, string> samples)
    {
        var found = new List<SiteEndpoint>();
        foreach (var endpoint in All(app).OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var url = Fill(endpoint, samples);
            if (endpoint.Metadata.GetMetadata<CompiledPageActionDescriptor>() is { } page)
            {
                foreach (var handler in page.HandlerMethods.Where(h => string.Equals(h.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)))
                    found.Add(new SiteEndpoint(template, handler.Name is null ? url : $"{url}{(url.Contains('?') ? '&' : '?')}handler={handler.Name}", handler.Name, endpoint));
            }
            else if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods || methods.HttpMethods.Contains("POST"))
                found.Add(new SiteEndpoint(template, url, null, endpoint));
        }
        return found;
    }

    /// <summary>Endpoints that need the Admin policy (by their metadata: page attributes, RequireAuthorization).</summary>
    public static List<SiteEndpoint> Admin(PaperFeedApp app, IReadOnlyDictionary<string, string> samples) =>
        [.. All(app).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == PaperFeed.Accounts.AccountsExtensions.AdminPolicy))
            .Select(e => new SiteEndpoint("/" + e.RoutePattern.RawText!.TrimStart('/'), Fill(e, samples), null, e))];

    public static bool IgnoresAntiforgery(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.ViewFeatures.IAntiforgeryPolicy>() is Microsoft.AspNetCore.Mvc.IgnoreAntiforgeryTokenAttribute
        || endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: false };

    private static string Fill(RouteEndpoint endpoint, IReadOnlyDictionary<string, string> samples)
    {
        var segments = new List<string>();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                text += part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => samples.TryGetValue(parameter.Name, out var value) ? value
                        : throw new InvalidOperationException($"No sample value for route parameter {{{parameter.Name}}} of {endpoint.RoutePattern.RawText}: add one to the test"),
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    _ => "",
                };
            }
            segments.Add(text);
        }
        return "/" + string.Join('/', segments.Where(s => s.Length > 0)).ToString(CultureInfo.InvariantCulture);
    }
}
