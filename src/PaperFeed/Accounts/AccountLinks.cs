using Microsoft.Extensions.Options;
using PaperFeed.Site;

namespace PaperFeed.Accounts;

/// <summary>Absolute links for emails: from App:BaseUrl (required with SMTP), else from the request in development.</summary>
public sealed class AccountLinks(IOptions<SiteOptions> site, IHttpContextAccessor http)
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
