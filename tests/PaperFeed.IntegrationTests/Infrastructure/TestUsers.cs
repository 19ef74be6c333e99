using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Accounts;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>Accounts for tests: created directly (confirmed) when the flow is not under test, signed in through the real form.</summary>
public static class TestUsers
{
    public const string Password = "Correct horse battery 9";

    /// <summary>A confirmed account made with the app's UserManager, as if the reader had followed the email link.</summary>
    public static Task<string> CreateConfirmedAsync(PaperFeedApp app, string email) => app.WithScopeAsync(async services =>
    {
        var users = services.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user.Id;
    });

    /// <summary>Posts the sign-in form; the client keeps the auth cookie. Returns the response (a redirect when it worked).</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password = Password, string path = "/account/login") =>
        client.SubmitAsync(path, "main form[method=post]", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>A client (cookies kept, redirects not followed) signed in as a new confirmed reader.</summary>
    public static async Task<HttpClient> SignedInClientAsync(PaperFeedApp app, string email)
    {
        await CreateConfirmedAsync(app, email);
        var client = Forms.Client(app);
        var response = await SignInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>The vote form of a paper's card on <paramref name="pagePath"/>.</summary>
    public static Task<HtmlForm> VoteFormAsync(HttpClient client, string pagePath, long paperId) =>
        client.FindFormAsync(pagePath, $"form.vote-form[action='/vote/{paperId}']");
}
