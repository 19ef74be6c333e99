using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using PaperFeed.Site;

namespace PaperFeed.Digests;

/// <summary>Signed, absolute links in digests. Minimal stand-in on this branch; the subscription flow owns it.</summary>
public sealed class DigestLinks(IOptions<SiteOptions> site, IDataProtectionProvider protection)
{
    private readonly IDataProtector _unsubscribe = protection.CreateProtector("PaperFeed.Digests.v1.unsubscribe");
    private readonly IDataProtector _preferences = protection.CreateProtector("PaperFeed.Digests.v1.preferences");

    private string Root => (site.Value.BaseUrl ?? "http://localhost").TrimEnd('/');

    /// <summary>The RFC 8058 one-click POST target; with GET, the page that confirms.</summary>
    public string UnsubscribeUrl(Subscription s) =>
        $"{Root}/digest/unsubscribe?token={Uri.EscapeDataString(_unsubscribe.Protect($"{s.Id}:{s.Email}"))}";

    public string PreferencesUrl(Subscription s) =>
        $"{Root}/digest/preferences?token={Uri.EscapeDataString(_preferences.Protect($"{s.Id}:{s.Email}"))}";
}
