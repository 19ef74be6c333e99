using Microsoft.Extensions.Options;
using PaperFeed.Site;

namespace PaperFeed.Accounts;

/// <summary>Absolute links for emails: from App:BaseUrl (required with SMTP), else from the request in development.</summary>
public sealed class AccountLinks(IOptions<AppOptions> site, IHttpContextAccessor http)
{
    public string Absolute(string pathAndQuery)
    {
        var request = http.HttpContext?.Request;
        var root = site.Value.BaseUrl ?? (request is null ? "http://localhost" : $"{request.Scheme}://{request.Host}");
        return root.TrimEnd('/') + pathAndQuery;
    }

    public string ConfirmEmail(string userId, string code) =>
        Absolute($"/account/confirm?userId={Uri.EscapeDataString(userId)}&code={Uri.EscapeDataString(code)}");

    public string ConfirmEmailChange(string userId, string email, string code) =>
        Absolute($"/account/confirm-email?userId={Uri.EscapeDataString(userId)}&email={Uri.EscapeDataString(email)}&code={Uri.EscapeDataString(code)}");

    public string ResetPassword(string email, string code) =>
        Absolute($"/account/reset?email={Uri.EscapeDataString(email)}&code={Uri.EscapeDataString(code)}");
}

/// <summary>Identity tokens travel base64url-encoded in links; a mangled one decodes to null, never an exception.</summary>
public static class AccountTokens
{
    public static string Encode(string token) =>
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token));

    public static string? Decode(string? code)
    {
        if (code is null) return null;
        try { return System.Text.Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }
}
