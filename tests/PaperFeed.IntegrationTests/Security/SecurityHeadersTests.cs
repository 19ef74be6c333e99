using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>The headers every response carries, whatever answered it (page, API, feed, static file, error, redirect, refusal).</summary>
[Collection(SecuritySiteCollection.Name)]
public sealed class SecurityHeadersTests(SecuritySite site)
{
    public static TheoryData<string, string> Responses() => new()
    {
        { "GET", "/" },
        { "GET", "/papers/date/2026-06-11?format=atom" },
        { "GET", "/api/daily_papers?date=2026-06-11" },
        { "GET", "/api/daily_papers?date=nope" },
        { "GET", "/css/site.css" },
        { "GET", "/js/site.js" },
        { "GET", "/favicon.svg" },
        { "GET", "/no/such/page" },
        { "GET", "/papers/date/2026-13-45" },
        { "GET", "/account" },
        { "GET", "/jobs" },
        { "GET", "/digest/preview" },
        { "POST", "/subscribe" },
        { "POST", "/digest/unsubscribe/one-click?token=forged" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string method, string path)
    {
        using var client = Forms.Client(site.App);
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new FormUrlEncodedContent([]) : null });

        var csp = Header(response, "Content-Security-Policy");
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToArray());
        Assert.Equal(["'self'"], directives["script-src"]);
        Assert.Equal(["'self'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["object-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'self'"], directives["base-uri"]);
        Assert.Equal(["'self'"], directives["form-action"]);
        Assert.DoesNotContain(csp.Split(' '), t => t is "'unsafe-eval'" or "*");
        // Inline styles only where markup that is not ours is shown: the digest email in the preview, Hangfire's dashboard.
        var inlineStyles = path is "/digest/preview" or "/jobs";
        Assert.Equal(inlineStyles, directives["style-src"].Contains("'unsafe-inline'"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        // Plain HTTP on localhost (the test server): no HSTS, which only means something over HTTPS.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Over_https_outside_development_hsts_is_sent_and_every_cookie_is_secure_httponly_and_samesite()
    {
        using var client = site.App.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://papers.example.org"), AllowAutoRedirect = false, HandleCookies = false });
        var home = await client.GetAsync("/");
        Assert.StartsWith("max-age=", Header(home, "Strict-Transport-Security"), StringComparison.Ordinal);

        // Every cookie the site sets: antiforgery (any form page), sign-in (the login form), and whatever a later feature adds.
        var cookies = new List<string>();
        var login = await client.GetAsync("/account/login");
        Assert.True(login.Headers.TryGetValues("Set-Cookie", out var loginCookies), $"{(int)login.StatusCode} {login.Headers}");
        cookies.AddRange(loginCookies);
        var form = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await login.Content.ReadAsStringAsync());
        var token = form.QuerySelector($"main form[method=post] input[name={HtmlForm.TokenField}]")!.GetAttribute("value")!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = SecuritySite.ReaderEmail, ["Input.Password"] = TestAccounts.Password, [HtmlForm.TokenField] = token,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        cookies.AddRange(signIn.Headers.GetValues("Set-Cookie"));

        Assert.Contains(cookies, c => c.StartsWith("paperfeed.auth=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains(attributes, a => a is "samesite=lax" or "samesite=strict");
        });
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content)
        : throw new Xunit.Sdk.XunitException($"{response.RequestMessage!.RequestUri} ({(int)response.StatusCode}) has no {name} header");
}
