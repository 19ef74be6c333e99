using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Accounts;

/// <summary>Sign-up to upvote over HTTP, with the app's emails delivered by MailKit to a real SMTP server on loopback.</summary>
public sealed class AccountFlowTests : IAsyncLifetime
{
    private const string Day = "/papers/date/2026-06-12";
    private const string Form = "main form[method=post]";
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();
    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private Task<PaperFeedApp> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? extra = null)
    {
        var settings = _smtp.AppSettings();
        // Many sign-ins from one address in a test: the auth limit has its own test in VoteTests.
        settings["RateLimits:AuthPermitLimit"] = "1000";
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        return PaperFeedApp.StartAsync(provider, settings);
    }

    /// <summary>Hugging Face's 12 June 2026: returns the id of its first paper.</summary>
    internal static async Task<long> SeedDayAsync(PaperFeedApp app)
    {
        var records = HfDailyPapersJsonParser.Parse(Fixtures.Read("hf-day-2026-06-12.json")).Papers;
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        return await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == "2606.01001").Select(p => p.Id).SingleAsync());
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string email, string password = TestAccounts.Password) =>
        client.SubmitAsync("/account/register", Form, new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    private static async Task<string> MainTextAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return document.QuerySelector("main")!.TextContent.Trim();
    }

    private static Task<User?> UserAsync(PaperFeedApp app, string email) =>
        app.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == email));

    private static async Task<string> CardCountAsync(HttpClient client, long paperId)
    {
        var page = await client.GetPageAsync(Day);
        return page.QuerySelector($"form.vote-form[action='/vote/{paperId}'] .vote-count")!.TextContent.Trim();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Register_confirm_by_post_sign_in_upvote_and_take_it_back(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var paperId = await SeedDayAsync(app);
        var client = Forms.Client(app);
        const string email = "ada@example.org";

        Assert.Contains("Check your inbox", await MainTextAsync(await RegisterAsync(client, email)));
        var mail = await _smtp.NextMessageToAsync(email);
        Assert.Equal("Confirm your PaperFeed account", mail.Subject);
        Assert.Equal("papers@paperfeed.test", mail.From.Mailboxes.Single().Address);
        var link = SmtpSink.LinkTo(mail, "/account/confirm");

        // A mail scanner follows the link: it sees a button, and nothing is confirmed.
        var scanner = app.CreateClient();
        var landing = await scanner.GetPageAsync(link);
        Assert.NotNull(landing.QuerySelector("main form[method=post] button[type=submit]"));
        Assert.False((await UserAsync(app, email))!.EmailConfirmed);

        // Before confirming, signing in is refused with a message that says why.
        var early = await TestAccounts.PostSignInAsync(client, email);
        Assert.Contains("Confirm your address first", await MainTextAsync(early));

        Assert.Contains("Your address is confirmed", await MainTextAsync(await client.SubmitAsync(link, Form)));
        Assert.True((await UserAsync(app, email))!.EmailConfirmed);

        Assert.Equal("/", (await TestAccounts.PostSignInAsync(client, email)).RedirectTarget());

        var up = await Forms.VoteFormAsync(client, Day, paperId);
        Assert.Equal("true", up.Fields["up"]);
        Assert.Equal(Day, (await client.PostFormAsync(up)).RedirectTarget());
        Assert.Equal("1", await CardCountAsync(client, paperId));

        // The form now says the next state: up=false takes the vote back.
        var down = await Forms.VoteFormAsync(client, Day, paperId);
        Assert.Equal("false", down.Fields["up"]);
        Assert.Equal(Day, (await client.PostFormAsync(down)).RedirectTarget());
        Assert.Equal("0", await CardCountAsync(client, paperId));
        Assert.Equal(0, await app.WithDbAsync(db => db.Votes.CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Registering_an_existing_address_looks_the_same_and_mails_the_owner_instead(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await TestAccounts.CreateAsync(app, "taken@example.org");

        var fresh = await MainTextAsync(await RegisterAsync(Forms.Client(app), "fresh@example.org"));
        var taken = await MainTextAsync(await RegisterAsync(Forms.Client(app), "taken@example.org", "Another password 123"));

        Assert.Equal(fresh.Replace("fresh@", "X@", StringComparison.Ordinal), taken.Replace("taken@", "X@", StringComparison.Ordinal));
        Assert.Equal("Confirm your PaperFeed account", (await _smtp.NextMessageToAsync("fresh@example.org")).Subject);
        var notice = await _smtp.NextMessageToAsync("taken@example.org");
        Assert.Equal("Someone tried to register with your address", notice.Subject);
        Assert.Contains("already has one", notice.TextBody);
        Assert.DoesNotContain(SmtpSink.Links(notice), l => l.Contains("/account/confirm", StringComparison.Ordinal));
        Assert.Single(_smtp.MessagesTo("taken@example.org"));
        // The existing account is untouched: its password still works.
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(Forms.Client(app), "taken@example.org")).StatusCode);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_known_and_unknown_addresses()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        await TestAccounts.CreateAsync(app, "known@example.org");

        async Task<string> AskAsync(string email) => (await MainTextAsync(await Forms.Client(app)
                .SubmitAsync("/account/forgot", Form, new Dictionary<string, string> { ["Email"] = email })))
            .Replace(email, "X", StringComparison.Ordinal);

        Assert.Equal(await AskAsync("known@example.org"), await AskAsync("nobody@example.org"));
        var reset = await _smtp.NextMessageToAsync("known@example.org");
        Assert.Contains("/account/reset", SmtpSink.LinkTo(reset, "/account/reset"), StringComparison.Ordinal);
        var unknown = await _smtp.NextMessageToAsync("nobody@example.org");
        Assert.DoesNotContain(SmtpSink.Links(unknown), l => l.Contains("/account/reset", StringComparison.Ordinal));

        // The link works: a new password, then sign in with it.
        var client = Forms.Client(app);
        Assert.Contains("Your password is changed", await MainTextAsync(await client.SubmitAsync(SmtpSink.LinkTo(reset, "/account/reset"), Form,
            new Dictionary<string, string> { ["Password"] = "A brand new password 7" })));
        Assert.Equal("/", (await TestAccounts.PostSignInAsync(client, "known@example.org", "A brand new password 7")).RedirectTarget());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_refused_sign_in_says_the_same_and_five_failures_slow_only_that_client(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await TestAccounts.CreateAsync(app, "grace@example.org");
        var client = Forms.Client(app);
        Assert.Contains("Check your inbox", await MainTextAsync(await RegisterAsync(client, "unconfirmed@example.org")));

        // F2: unknown address, wrong password, unconfirmed with a wrong password: one text (timing: docs/security.md).
        var unknown = await MainTextAsync(await TestAccounts.PostSignInAsync(client, "nobody@example.org", "wrong password"));
        var wrong = await MainTextAsync(await TestAccounts.PostSignInAsync(client, "grace@example.org", "wrong password"));
        var unconfirmed = await MainTextAsync(await TestAccounts.PostSignInAsync(client, "unconfirmed@example.org", "wrong password"));
        Assert.Contains(PaperFeed.Pages.Account.LoginModel.Refused, wrong);
        Assert.Equal(wrong, unknown);
        Assert.Equal(wrong, unconfirmed);

        // D1: five failures make this client wait (429 + Retry-After), even with the right password; the account itself is
        // not locked, so its owner signing in from elsewhere is not kept out by someone else's guesses.
        for (var i = 1; i < 5; i++)
            Assert.Contains(PaperFeed.Pages.Account.LoginModel.Refused, await MainTextAsync(await TestAccounts.PostSignInAsync(client, "grace@example.org", "wrong password " + i)));
        var waiting = await TestAccounts.PostSignInAsync(client, "grace@example.org");
        Assert.Equal(HttpStatusCode.TooManyRequests, waiting.StatusCode);
        Assert.InRange(int.Parse(waiting.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var user = await UserAsync(app, "grace@example.org");
        Assert.Null(user!.LockoutEnd);
        Assert.Equal(0, user.AccessFailedCount);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_configured_admin_email_becomes_admin_once_confirmed(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider, new() { ["Admin:Email"] = "boss@example.org" });
        var client = Forms.Client(app);

        await RegisterAsync(client, "boss@example.org");
        await RegisterAsync(client, "someone@example.org");
        Assert.False(await IsAdminAsync(app, "boss@example.org"));

        foreach (var email in new[] { "boss@example.org", "someone@example.org" })
            await client.SubmitAsync(SmtpSink.LinkTo(await _smtp.NextMessageToAsync(email), "/account/confirm"), Form);

        // The admin pages are still local-only on this branch (Admin/AdminAccess), so the role is checked in the database.
        Assert.True(await IsAdminAsync(app, "boss@example.org"));
        Assert.False(await IsAdminAsync(app, "someone@example.org"));
    }

    private static Task<bool> IsAdminAsync(PaperFeedApp app, string email) => app.WithScopeAsync(async s =>
    {
        var users = s.GetRequiredService<UserManager<User>>();
        return await users.FindByEmailAsync(email) is { } user && await users.IsInRoleAsync(user, Roles.Admin);
    });

    [Fact]
    public async Task A_forged_or_modified_confirmation_code_is_refused()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var client = Forms.Client(app);
        await RegisterAsync(client, "mallory@example.org");
        var link = SmtpSink.LinkTo(await _smtp.NextMessageToAsync("mallory@example.org"), "/account/confirm");
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://localhost" + link).Query);
        var userId = query["userId"].ToString();
        var code = query["code"].ToString();
        var flipped = code[..^2] + (code[^2] == 'A' ? 'B' : 'A') + code[^1];

        foreach (var (forgedUser, forgedCode) in new[]
                 {
                     (userId, flipped),
                     (userId, "not-base64-at-all!!"),
                     (userId, Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("forged token"u8.ToArray())),
                     (Guid.NewGuid().ToString(), code),
                     (userId, ""),
                 })
        {
            var path = $"/account/confirm?userId={Uri.EscapeDataString(forgedUser)}&code={Uri.EscapeDataString(forgedCode)}";
            Assert.Contains("not valid", await MainTextAsync(await client.SubmitAsync(path, Form)));
        }
        Assert.False((await UserAsync(app, "mallory@example.org"))!.EmailConfirmed);
        Assert.Contains("confirmed", await MainTextAsync(await client.SubmitAsync(link, Form)));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil.example")]
    public async Task Sign_in_never_redirects_off_site(string returnUrl)
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        await TestAccounts.CreateAsync(app, "alan@example.org");
        var response = await TestAccounts.PostSignInAsync(Forms.Client(app), "alan@example.org", path: "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        Assert.Equal("/", response.RedirectTarget());
    }
}
