using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Accounts;
using PaperFeed.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PaperFeed.IntegrationTests.Votes;

/// <summary>Votes over HTTP on both providers: exact counts under concurrency, antiforgery, sign-in, JSON, rate limit, restarts.</summary>
public sealed class VoteTests(ITestOutputHelper output)
{
    private const string Day = "/papers/date/2026-06-12";

    private static readonly Dictionary<string, string?> ManySignIns = new() { ["RateLimits:AuthPermitLimit"] = "1000" };

    private static async Task<(PaperFeedApp App, long PaperId)> StartAsync(DatabaseProvider provider, Dictionary<string, string?>? settings = null)
    {
        var app = await PaperFeedApp.StartAsync(provider, settings ?? ManySignIns);
        return (app, await AccountFlowTests.SeedDayAsync(app));
    }

    private static Task<(int Count, int Rows)> StateAsync(PaperFeedApp app, long paperId) => app.WithDbAsync(async db =>
        (await db.Papers.Where(p => p.Id == paperId).Select(p => p.VoteCount).SingleAsync(), await db.Votes.CountAsync(v => v.PaperId == paperId)));

    private static Dictionary<string, string> Up(bool up) => new() { ["up"] = up ? "true" : "false" };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Fifty_readers_voting_at_once_count_fifty(DatabaseProvider provider)
    {
        var (app, paperId) = await StartAsync(provider);
        await using var _ = app;
        var clients = new List<HttpClient>();
        for (var i = 0; i < 50; i++) await TestAccounts.CreateAsync(app, $"reader{i}@example.org");
        clients.AddRange(await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            var client = Forms.Client(app);
            Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(client, $"reader{i}@example.org")).StatusCode);
            return client;
        })));
        var forms = await Task.WhenAll(clients.Select(c => Forms.VoteFormAsync(c, Day, paperId)));

        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(clients.Select((c, i) => c.PostFormAsync(forms[i])));
        clock.Stop();
        output.WriteLine($"{provider}: 50 concurrent votes in {clock.ElapsedMilliseconds} ms");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal((50, 50), await StateAsync(app, paperId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reader_racing_two_votes_counts_once_and_never_below_zero(DatabaseProvider provider)
    {
        var (app, paperId) = await StartAsync(provider);
        await using var _ = app;
        var client = await TestAccounts.SignedInAsync(app, "racer@example.org");
        var form = await Forms.VoteFormAsync(client, Day, paperId);

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(client.PostFormAsync(form, Up(true)), client.PostFormAsync(form, Up(true)));
            Assert.Equal((1, 1), await StateAsync(app, paperId));
            await Task.WhenAll(client.PostFormAsync(form, Up(false)), client.PostFormAsync(form, Up(false)));
            Assert.Equal((0, 0), await StateAsync(app, paperId));
        }
        await client.PostFormAsync(form, Up(false));
        Assert.Equal((0, 0), await StateAsync(app, paperId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_vote_without_the_antiforgery_token_is_refused(DatabaseProvider provider)
    {
        var (app, paperId) = await StartAsync(provider);
        await using var _ = app;
        var client = await TestAccounts.SignedInAsync(app, "csrf@example.org");
        var form = await Forms.VoteFormAsync(client, Day, paperId);
        var fields = new Dictionary<string, string>(form.Fields);
        fields.Remove(HtmlForm.TokenField);

        var response = await client.PostFormAsync(form with { Fields = fields });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // Another reader's token does not do either.
        var other = await TestAccounts.SignedInAsync(app, "other@example.org");
        var otherForm = await Forms.VoteFormAsync(other, Day, paperId);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostFormAsync(form, new Dictionary<string, string> { [HtmlForm.TokenField] = otherForm.Fields[HtmlForm.TokenField] })).StatusCode);
        Assert.Equal((0, 0), await StateAsync(app, paperId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Anonymous_votes_go_to_sign_in_and_a_get_never_votes(DatabaseProvider provider)
    {
        var (app, paperId) = await StartAsync(provider);
        await using var _ = app;
        var anonymous = Forms.Client(app);
        // Signed out, the card offers a sign-in link that comes back to the page.
        var card = await anonymous.GetPageAsync(Day);
        Assert.Null(card.QuerySelector("form.vote-form"));
        Assert.NotNull(card.QuerySelector($"a.vote[href='/account/login?returnUrl={Uri.EscapeDataString(Day)}']"));

        using var content = new FormUrlEncodedContent(Up(true));
        var response = await anonymous.PostAsync($"/vote/{paperId}", content);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery(), StringComparison.Ordinal);

        var reader = await TestAccounts.SignedInAsync(app, "getter@example.org");
        var get = await reader.GetAsync($"/vote/{paperId}?up=true");
        Assert.Equal("/papers/2606.01001", get.RedirectTarget());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync("/vote/999999")).StatusCode);
        Assert.Equal((0, 0), await StateAsync(app, paperId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_script_gets_json_with_the_new_state(DatabaseProvider provider)
    {
        var (app, paperId) = await StartAsync(provider);
        await using var _ = app;
        var client = await TestAccounts.SignedInAsync(app, "json@example.org");
        var form = await Forms.VoteFormAsync(client, Day, paperId);

        async Task<JsonElement> VoteAsync(bool up)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, form.Action)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(form.Fields) { ["up"] = up ? "true" : "false" }),
            };
            request.Headers.Accept.ParseAdd("application/json");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        }

        var voted = await VoteAsync(true);
        Assert.True(voted.GetProperty("voted").GetBoolean());
        Assert.Equal(1, voted.GetProperty("count").GetInt32());
        var unvoted = await VoteAsync(false);
        Assert.False(unvoted.GetProperty("voted").GetBoolean());
        Assert.Equal(0, unvoted.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Too_many_votes_in_a_minute_get_429_with_retry_after()
    {
        var (app, paperId) = await StartAsync(DatabaseProvider.Sqlite, new() { ["RateLimits:VotePermitLimit"] = "4", ["RateLimits:AuthPermitLimit"] = "1000" });
        await using var _ = app;
        var client = await TestAccounts.SignedInAsync(app, "eager@example.org");
        var form = await Forms.VoteFormAsync(client, Day, paperId);

        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(form, Up(i % 2 == 0))).StatusCode);
        var refused = await client.PostFormAsync(form, Up(true));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal((0, 0), await StateAsync(app, paperId));

        // The limit is per reader: someone else still votes.
        var other = await TestAccounts.SignedInAsync(app, "calm@example.org");
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostFormAsync(await Forms.VoteFormAsync(other, Day, paperId))).StatusCode);
        Assert.Equal((1, 1), await StateAsync(app, paperId));
    }

    [Fact]
    public async Task A_first_visit_gets_through_the_sign_in_limit_and_a_guessing_loop_does_not()
    {
        // Issue 17: with the default limit, register -> a short password -> sign in before confirming -> one wrong
        // password answered 429, because every page load counted. Now only the POSTs count.
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var client = Forms.Client(app);
        for (var i = 0; i < 12; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/login")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/account/register", "main form[method=post]", Register("short"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/account/register", "main form[method=post]", Register(TestAccounts.Password))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.PostSignInAsync(client, "newcomer@example.org")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.PostSignInAsync(client, "newcomer@example.org", "not my password")).StatusCode);

        // A loop of guesses (other addresses, so the per-account throttle is not what stops it) hits the limit, told when to return.
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 12 && refused is null; i++)
        {
            var response = await TestAccounts.PostSignInAsync(client, $"guess{i}@example.org", "password " + i);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        Assert.NotNull(refused);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    private static Dictionary<string, string> Register(string password) =>
        new() { ["Input.Email"] = "newcomer@example.org", ["Input.Password"] = password };

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_sign_in_cookie_still_works_after_a_restart(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        string[] authCookies;
        long paperId;
        await using (var first = new PaperFeedApp(database, ManySignIns, ownsDatabase: false))
        {
            paperId = await AccountFlowTests.SeedDayAsync(first);
            await TestAccounts.CreateAsync(first, "steady@example.org");
            var signIn = await TestAccounts.PostSignInAsync(Forms.Client(first), "steady@example.org");
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            authCookies = signIn.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("paperfeed.auth", StringComparison.Ordinal))
                .Select(c => c.Split(';')[0]).ToArray();
            Assert.NotEmpty(authCookies);
        }

        // A new instance on the same database: the Data Protection keys are in the catalog, so it reads the cookie.
        await using var second = new PaperFeedApp(database, ManySignIns, ownsDatabase: false);
        var cookies = new CookieContainer();
        foreach (var cookie in authCookies)
        {
            var (name, value) = (cookie[..cookie.IndexOf('=', StringComparison.Ordinal)], cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            cookies.Add(new Uri("http://localhost"), new Cookie(name, value));
        }
        var client = second.CreateDefaultClient(new CookieContainerHandler(cookies));
        var form = await Forms.VoteFormAsync(client, Day, paperId);
        Assert.Equal(Day, (await client.PostFormAsync(form)).RedirectTarget());
        Assert.Equal((1, 1), await StateAsync(second, paperId));
    }
}

internal static class UriExtensions
{
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
