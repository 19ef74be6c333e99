using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Accounts;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>Accounts for tests that are not about registering: made confirmed with the app's UserManager (as if the reader had
/// followed the email link), signed in through the real form.</summary>
public static class TestAccounts
{
    public const string Password = "Correct horse battery 9";

    /// <summary>A confirmed account (an administrator when <paramref name="admin"/>); returns its id.</summary>
    public static Task<string> CreateAsync(PaperFeedApp app, string email, bool admin = false) => app.WithScopeAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        if (admin) Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        return user.Id;
    });

    /// <summary>Posts the sign-in form; the client keeps the auth cookie. Returns the response (a redirect when it worked).</summary>
    public static Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password = Password, string path = "/account/login") =>
        client.SubmitAsync(path, "main form[method=post]", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Posts the sign-in form on <paramref name="client"/>, which keeps the cookie; asserts it worked.</summary>
    public static async Task SignInAsync(HttpClient client, string email, string password = Password) =>
        Assert.Equal(HttpStatusCode.Redirect, (await PostSignInAsync(client, email, password)).StatusCode);

    /// <summary>A client (cookies kept, redirects not followed) signed in as a new confirmed account.</summary>
    public static async Task<HttpClient> SignedInAsync(PaperFeedApp app, string email, bool admin = false)
    {
        await CreateAsync(app, email, admin);
        var client = Forms.Client(app);
        await SignInAsync(client, email);
        return client;
    }

    /// <summary>A client signed in as a new administrator.</summary>
    public static Task<HttpClient> AdminAsync(PaperFeedApp app, string email = "admin@example.org") => SignedInAsync(app, email, admin: true);

    /// <summary>
    /// <paramref name="form"/> (taken from another client's page) with this client's own antiforgery token: a test of
    /// who may post it then differs only in who is signed in.
    /// </summary>
    public static async Task<HtmlForm> WithOwnTokenAsync(this HttpClient client, HtmlForm form)
    {
        var own = await client.FindFormAsync("/account/login", "main form[method=post]");
        return form with { Fields = new Dictionary<string, string>(form.Fields) { [HtmlForm.TokenField] = own.Fields[HtmlForm.TokenField] } };
    }

    /// <summary>Where a redirect goes, as path and query: the sign-in redirect is an absolute address.</summary>
    public static string RedirectPath(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }
}
