using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace PaperFeed.Site;

/// <summary>The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto the app believes (Section "Site").</summary>
public sealed class TrustedProxyOptions
{
    public const string Section = "Site";

    /// <summary>Addresses of the proxies in front of the app, e.g. ["10.0.0.5"] (or ["127.0.0.1"] for a proxy on the same host).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation, e.g. ["172.18.0.0/16"] for a container network.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public static class TrustedProxies
{
    /// <summary>
    /// Forwarded headers from configured proxies only; none by default (not even loopback, which ASP.NET trusts unless told
    /// otherwise), so a client cannot pick its own address for the rate limits. Emails never read the request: App:BaseUrl.
    /// </summary>
    public static void AddTrustedProxies(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedProxyOptions>().BindConfiguration(TrustedProxyOptions.Section)
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Site:KnownProxies: each entry must be an IP address")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Site:KnownNetworks: each entry must be a network in CIDR notation (10.0.0.0/8)")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>((forwarded, trusted) =>
        {
            // With both lists empty ASP.NET skips the proxy check and believes every client, so no proxy means no headers.
            var any = trusted.Value.KnownProxies.Length > 0 || trusted.Value.KnownNetworks.Length > 0;
            forwarded.ForwardedHeaders = any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in trusted.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
    }
}
