using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Accounts;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>What a signed digest link lets its holder do; a token made for one purpose is refused for the others.</summary>
public enum DigestTokenPurpose { Confirm, Preferences, Unsubscribe }

/// <summary>
/// Signed links in subscription emails (Data Protection, keys in the catalog). The payload is purpose + subscription id +
/// address, so a token works for one action on one address only. Confirm links expire (Digests:ConfirmHours);
/// preferences and unsubscribe links never do.
/// </summary>
public sealed class DigestLinks(IDataProtectionProvider protection, AccountLinks links, CatalogDbContext db, IOptions<DigestOptions> options)
{
    private const string Root = "PaperFeed.Digests.v1";

    private IDataProtector Protector(DigestTokenPurpose purpose) => protection.CreateProtector(Root, purpose.ToString());
    // One per scope (a compose batch signs 20 feedback links per digest).
    private IDataProtector FeedbackProtector => _feedback ??= protection.CreateProtector(Root, "Feedback");
    private IDataProtector? _feedback;
    private ITimeLimitedDataProtector ConfirmProtector => protection.CreateProtector(Root).ToTimeLimitedDataProtector();

    /// <summary>A token for one action on one subscription; <paramref name="lifetime"/> only applies to confirm tokens.</summary>
    public string CreateToken(Subscription subscription, DigestTokenPurpose purpose, TimeSpan? lifetime = null)
    {
        var payload = Payload(purpose, subscription.Id, subscription.Email);
        return purpose == DigestTokenPurpose.Confirm
            ? ConfirmProtector.Protect(payload, lifetime ?? TimeSpan.FromHours(options.Value.ConfirmHours))
            : Protector(purpose).Protect(payload);
    }

    /// <summary>The subscription id the token was made for, or null when it is forged, mangled, expired or for another purpose.</summary>
    public long? Validate(string? token, DigestTokenPurpose purpose) => Read(token, purpose)?.Id;

    /// <summary>The subscription the token names, when the token is valid and the subscription still has the address it was made for.</summary>
    public async Task<Subscription?> FindAsync(string? token, DigestTokenPurpose purpose, CancellationToken ct)
    {
        if (Read(token, purpose) is not { } signed) return null;
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == signed.Id, ct);
        return subscription is not null && subscription.Email == signed.Email ? subscription : null;
    }

    public string ConfirmUrl(Subscription subscription) => Url("/digest/confirm", CreateToken(subscription, DigestTokenPurpose.Confirm));

    /// <summary>The preferences page (no password): a link for every digest email.</summary>
    public string PreferencesUrl(Subscription subscription) => Url("/digest/preferences", CreateToken(subscription, DigestTokenPurpose.Preferences));

    /// <summary>
    /// The one unsubscribe address for a digest, in both the List-Unsubscribe header (with List-Unsubscribe-Post:
    /// List-Unsubscribe=One-Click, RFC 8058: a POST unsubscribes at once) and the visible link in the body (a GET lands
    /// on the page that asks first and offers to resubscribe).
    /// </summary>
    public string UnsubscribeUrl(Subscription subscription) => Url("/digest/unsubscribe/one-click", CreateToken(subscription, DigestTokenPurpose.Unsubscribe));

    /// <summary>The unsubscribe page itself (button, then resubscribe), for links within the site.</summary>
    public string UnsubscribePageUrl(Subscription subscription) => Url("/digest/unsubscribe", CreateToken(subscription, DigestTokenPurpose.Unsubscribe));

    /// <summary>A 👍 ("more like this": an upvote) or 👎 ("not for me") link for one paper of a digest.</summary>
    public string FeedbackUrl(Subscription subscription, long paperId, bool up, bool oneClick = false) =>
        Url(oneClick ? "/digest/feedback/one-click" : "/digest/feedback", FeedbackToken(subscription, paperId, up));

    public string FeedbackToken(Subscription subscription, long paperId, bool up) => FeedbackProtector.Protect(string.Create(CultureInfo.InvariantCulture, $"{subscription.Id}|{paperId}|{(up ? "up" : "down")}|{subscription.Email}"));

    /// <summary>
    /// What a feedback token asks for: the account behind the subscription, the paper, up or not for me. Null when the token is
    /// forged or mangled, the subscription is gone or has another address, or it has no account to record a signal for.
    /// </summary>
    public async Task<(Subscription Subscription, string UserId, long PaperId, bool Up)?> FindFeedbackAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000) return null;
        string payload;
        try { payload = FeedbackProtector.Unprotect(token); }
        catch (CryptographicException) { return null; }
        catch (FormatException) { return null; }
        var parts = payload.Split('|', 4);
        if (parts.Length != 4 || parts[2] is not ("up" or "down")
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var paperId)) return null;
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (subscription?.UserId is not { } userId || subscription.Email != parts[3]) return null;
        return (subscription, userId, paperId, parts[2] == "up");
    }

    private string Url(string path, string token) => links.Absolute($"{path}?token={Uri.EscapeDataString(token)}");

    private static string Payload(DigestTokenPurpose purpose, long id, string email) =>
        string.Create(CultureInfo.InvariantCulture, $"{purpose}|{id}|{email}");

    private (long Id, string Email)? Read(string? token, DigestTokenPurpose purpose)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000) return null;
        string payload;
        try
        {
            payload = purpose == DigestTokenPurpose.Confirm ? ConfirmProtector.Unprotect(token, out _) : Protector(purpose).Unprotect(token);
        }
        catch (CryptographicException) { return null; }
        catch (FormatException) { return null; }
        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || parts[0] != purpose.ToString()) return null;
        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        return (id, parts[2]);
    }
}
