using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Email;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Digests;

public sealed class SubscriptionTests : IAsyncLifetime
{
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();
    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private async Task<(PaperFeedApp App, SmtpSink Mail)> StartAsync(DatabaseProvider provider,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = _smtp.AppSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return (await PaperFeedApp.StartAsync(provider, all), _smtp);
    }

    private static Task<HttpResponseMessage> SubscribeAsync(HttpClient client, string email) =>
        client.SubmitAsync("/subscribe", "#subscribe-form", new Dictionary<string, string> { ["Input.Email"] = email });

    private static Task<Subscription?> FindAsync(PaperFeedApp app, string email) =>
        app.WithDbAsync(db => db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == email));

    private static Task<Subscription> AddAsync(PaperFeedApp app, string email, SubscriptionStatus status) =>
        app.WithDbAsync(async db =>
        {
            var subscription = new Subscription
            {
                Email = email, Status = status, CreatedAt = DateTime.UtcNow.AddDays(-30),
                ActivatedAt = status == SubscriptionStatus.Pending ? null : DateTime.UtcNow.AddDays(-29),
            };
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            return subscription;
        });

    private static Task<string> LinkAsync(PaperFeedApp app, Func<DigestLinks, string> make) =>
        app.WithScopeAsync(s => Task.FromResult(new Uri(make(s.GetRequiredService<DigestLinks>())).PathAndQuery));

    private static async Task<string> MainTextAsync(HttpResponseMessage response)
    {
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelector("main")!.TextContent.Trim();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Subscribing_sends_a_confirmation_link_whose_GET_confirms_nothing_and_whose_POST_confirms(DatabaseProvider provider)
    {
        var (app, mail) = await StartAsync(provider);
        await using var _ = app;
        var client = Forms.Client(app);

        var response = await SubscribeAsync(client, "  Reader@Example.org ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your inbox", await MainTextAsync(response));

        var pending = await FindAsync(app, "reader@example.org");
        Assert.NotNull(pending);
        Assert.Equal(SubscriptionStatus.Pending, pending.Status);
        var message = Assert.Single(mail.MessagesTo("reader@example.org"));
        Assert.Contains("Confirm", message.Subject);
        var confirm = SmtpSink.LinkTo(message, "/digest/confirm");

        // A mail scanner following the link: a page with a button, nothing confirmed, nothing sent.
        var page = await client.GetPageAsync(confirm);
        Assert.NotNull(page.QuerySelector("#confirm-form"));
        Assert.Equal(SubscriptionStatus.Pending, (await FindAsync(app, "reader@example.org"))!.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.DigestDeliveries.CountAsync()));

        var posted = await client.SubmitAsync(confirm, "#confirm-form");
        Assert.Equal(confirm, posted.RedirectTarget());
        var active = await FindAsync(app, "reader@example.org");
        Assert.Equal(SubscriptionStatus.Active, active!.Status);
        Assert.NotNull(active.ActivatedAt);
        var done = await client.GetPageAsync(confirm);
        var preferences = done.QuerySelector("#preferences-link")!.GetAttribute("href")!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(preferences).PathAndQuery)).StatusCode);
        Assert.Single(mail.Received); // the confirmation only: no digest before (or because of) confirming
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_page_says_the_same_for_every_address_and_only_the_email_differs(DatabaseProvider provider)
    {
        var (app, mail) = await StartAsync(provider);
        await using var _ = app;
        await AddAsync(app, "active@example.org", SubscriptionStatus.Active);
        await AddAsync(app, "paused@example.org", SubscriptionStatus.Paused);
        await AddAsync(app, "gone@example.org", SubscriptionStatus.Unsubscribed);
        var client = Forms.Client(app);

        var texts = new List<string>();
        foreach (var email in new[] { "new@example.org", "new@example.org", "active@example.org", "paused@example.org", "gone@example.org" })
        {
            var response = await SubscribeAsync(client, email);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            texts.Add(await MainTextAsync(response));
        }
        Assert.Single(texts.Distinct());

        // New and pending addresses get a (new) confirmation link; a former subscriber starts over with one.
        Assert.All(mail.MessagesTo("new@example.org"), m => Assert.Contains("Confirm", m.Subject));
        Assert.Equal(2, mail.MessagesTo("new@example.org").Count);
        Assert.Contains("Confirm", Assert.Single(mail.MessagesTo("gone@example.org")).Subject);
        Assert.Equal(SubscriptionStatus.Pending, (await FindAsync(app, "gone@example.org"))!.Status);
        // A subscribed address is told so, with its preferences link, and stays as it was.
        foreach (var email in new[] { "active@example.org", "paused@example.org" })
        {
            var already = Assert.Single(mail.MessagesTo(email));
            Assert.Contains("already subscribed", already.Subject);
            Assert.StartsWith("/digest/preferences?token=", SmtpSink.LinkTo(already, "/digest/preferences"));
        }
        Assert.Equal(SubscriptionStatus.Paused, (await FindAsync(app, "paused@example.org"))!.Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.Email == "new@example.org")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_footer_box_on_every_page_subscribes(DatabaseProvider provider)
    {
        var (app, mail) = await StartAsync(provider);
        await using var _ = app;
        var client = Forms.Client(app);

        // The footer box carries no token (pages stay cacheable): it opens /subscribe with the address filled in.
        var footer = await client.FindFormAsync("/about/ranking", "form.footer-subscribe");
        Assert.Equal("/subscribe", footer.Action);
        Assert.DoesNotContain(HtmlForm.TokenField, footer.Fields.Keys);
        Assert.Contains("email", footer.Fields.Keys);
        var landing = await client.GetPageAsync(footer.Action + "?email=" + Uri.EscapeDataString("footer@example.org"));
        Assert.Equal("footer@example.org", landing.QuerySelector("#subscribe-form input[name='Input.Email']")!.GetAttribute("value"));

        var response = await client.SubmitAsync("/subscribe?email=footer%40example.org", "#subscribe-form");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your inbox", await MainTextAsync(response));
        Assert.Contains("Confirm", Assert.Single(mail.MessagesTo("footer@example.org")).Subject);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Preferences_save_every_choice_and_refuse_bad_values_with_messages(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var subscription = await AddAsync(app, "prefs@example.org", SubscriptionStatus.Active);
        var path = await LinkAsync(app, l => l.PreferencesUrl(subscription));
        var topic = await app.WithDbAsync(db => db.Topics.OrderBy(t => t.Id).Select(t => t.Slug).FirstAsync());
        var client = Forms.Client(app);

        var saved = await client.SubmitAsync(path, "#preferences-form", new Dictionary<string, string>
        {
            ["Input.Frequency"] = "weekly", ["Input.WeeklyDay"] = "3", ["Input.SendHour"] = "18", ["Input.TimeZone"] = "Europe/Paris",
            ["Input.Topics"] = topic, ["Input.IncludeKeywords"] = "diffusion, RLHF\nagents\n\n", ["Input.MuteKeywords"] = "survey",
            ["Input.MinVotes"] = "5", ["Input.MaxPapers"] = "20", ["Input.Format"] = "Text",
        });
        var back = saved.RedirectTarget();
        Assert.StartsWith(path, back);
        var form = await client.GetPageAsync(back);
        Assert.NotNull(form.QuerySelector("#saved"));
        // Curated topics and arXiv categories in their own groups, each box inside its label; no empty error list.
        Assert.Equal(["Topics", "arXiv categories"], form.QuerySelectorAll("#preferences-form fieldset.checks legend").Select(l => l.TextContent).ToList());
        Assert.All(form.QuerySelectorAll("#preferences-form fieldset.checks input[type=checkbox]"), box => Assert.Equal("LABEL", box.ParentElement!.TagName));
        Assert.Equal("1 chosen: the digest has papers of any of them.", form.QuerySelector("#topics-hint")!.TextContent);
        Assert.Null(form.QuerySelector("#preferences-form .validation-summary-valid, #preferences-form .validation-summary-errors"));

        var s = (await FindAsync(app, "prefs@example.org"))!;
        Assert.Equal(SubscriptionStatus.Active, s.Status);
        Assert.Equal(DigestFrequency.Weekly, s.Frequency);
        Assert.Equal(DayOfWeek.Wednesday, s.WeeklyDay);
        Assert.Equal(18, s.SendHour);
        Assert.Equal("Europe/Paris", s.TimeZone);
        Assert.Equal([topic], s.Topics);
        Assert.Equal(["diffusion", "RLHF", "agents"], s.IncludeKeywords);
        Assert.Equal(["survey"], s.MuteKeywords);
        Assert.Equal(5, s.MinVotes);
        Assert.Equal(20, s.MaxPapers);
        Assert.Equal(DigestFormat.Text, s.Format);

        // The form shows what was saved; pausing keeps the frequency for when it resumes.
        var paused = await client.SubmitAsync(path, "#preferences-form", new Dictionary<string, string> { ["Input.Frequency"] = "paused" });
        Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        s = (await FindAsync(app, "prefs@example.org"))!;
        Assert.Equal(SubscriptionStatus.Paused, s.Status);
        Assert.Equal(DigestFrequency.Weekly, s.Frequency);
        Assert.Equal(20, s.MaxPapers);

        var refused = await client.SubmitAsync(path, "#preferences-form", new Dictionary<string, string>
        {
            ["Input.Frequency"] = "daily", ["Input.TimeZone"] = "Mars/Olympus_Mons", ["Input.SendHour"] = "24", ["Input.MaxPapers"] = "0",
            ["Input.MinVotes"] = "-1", ["Input.Topics"] = "not-a-topic",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await MainTextAsync(refused);
        Assert.Contains("Choose a time zone by its IANA name", text);
        Assert.Contains("The send hour is a whole hour from 0 to 23.", text);
        Assert.Contains("A digest holds from 1 to 50 papers.", text);
        Assert.Contains("Minimum votes cannot be negative.", text);
        Assert.Contains("Choose topics from the list.", text);
        var unchanged = (await FindAsync(app, "prefs@example.org"))!;
        Assert.Equal(SubscriptionStatus.Paused, unchanged.Status);
        Assert.Equal(18, unchanged.SendHour);
        Assert.Equal("Europe/Paris", unchanged.TimeZone);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Forged_mangled_and_misused_tokens_get_a_friendly_400_and_change_nothing(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var a = await AddAsync(app, "a@example.org", SubscriptionStatus.Active);
        var b = await AddAsync(app, "b@example.org", SubscriptionStatus.Active);
        var preferencesA = await LinkAsync(app, l => l.PreferencesUrl(a));
        var unsubscribeA = await LinkAsync(app, l => l.UnsubscribeUrl(a));
        var confirmA = await LinkAsync(app, l => l.ConfirmUrl(a));
        var tokenOf = (string path) => Uri.UnescapeDataString(path[(path.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        // Signed by the app, but for B's id with A's address: it names no subscription.
        var crossed = await LinkAsync(app, l => l.PreferencesUrl(new Subscription { Id = b.Id, Email = a.Email }));
        var tampered = preferencesA[..^3] + (preferencesA[^3] == 'A' ? 'B' : 'A') + preferencesA[^2..];
        var client = Forms.Client(app);

        foreach (var path in new[]
        {
            "/digest/preferences", "/digest/preferences?token=", "/digest/preferences?token=forged", "/digest/preferences?token=%FF%FE",
            tampered, crossed,
            "/digest/preferences?token=" + Uri.EscapeDataString(tokenOf(unsubscribeA)), // an unsubscribe token is not a preferences token
            "/digest/preferences?token=" + Uri.EscapeDataString(tokenOf(confirmA)),
            "/digest/unsubscribe?token=" + Uri.EscapeDataString(tokenOf(preferencesA)),
            "/digest/confirm?token=" + Uri.EscapeDataString(tokenOf(unsubscribeA)),
            "/digest/confirm?token=forged",
        })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("This link is not valid", await MainTextAsync(response));
        }

        var noCookies = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        foreach (var token in new[] { tokenOf(preferencesA), tokenOf(confirmA), "forged" })
        {
            using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
            var response = await noCookies.PostAsync("/digest/unsubscribe/one-click?token=" + Uri.EscapeDataString(token), body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.Subscriptions.CountAsync(s => s.Status == SubscriptionStatus.Active)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_confirmation_link_expires(DatabaseProvider provider)
    {
        // 0.0003 h is about a second.
        var (app, mail) = await StartAsync(provider, new Dictionary<string, string?> { ["Digests:ConfirmHours"] = "0.0003" });
        await using var _ = app;
        var client = Forms.Client(app);
        await SubscribeAsync(client, "late@example.org");
        var confirm = SmtpSink.LinkTo(Assert.Single(mail.Received), "/digest/confirm");
        var form = await client.FindFormAsync("/subscribe", "#subscribe-form"); // an antiforgery token for the POST

        await Task.Delay(TimeSpan.FromSeconds(2));

        var get = await client.GetAsync(confirm);
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Contains("This link is not valid", await MainTextAsync(get));
        var post = await client.PostFormAsync(form with { Action = confirm }, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(SubscriptionStatus.Pending, (await FindAsync(app, "late@example.org"))!.Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task One_click_unsubscribe_needs_no_cookie_or_antiforgery_answers_200_and_stops_a_composed_digest(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var subscription = await AddAsync(app, "oneclick@example.org", SubscriptionStatus.Active);
        await app.WithDbAsync(async db =>
        {
            db.DigestDeliveries.Add(new DigestDelivery
            {
                SubscriptionId = subscription.Id, Period = "2026-06-12", CreatedAt = DateTime.UtcNow, MessageId = "d1@paperfeed",
                Subject = "Papers", Text = "…",
            });
            return await db.SaveChangesAsync();
        });
        var oneClick = await LinkAsync(app, l => l.UnsubscribeUrl(subscription));
        Assert.StartsWith("/digest/unsubscribe/one-click?token=", oneClick);
        var provider2 = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        using var body = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
        var response = await provider2.PostAsync(oneClick, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("Unsubscribed", await response.Content.ReadAsStringAsync());
        var s = (await FindAsync(app, "oneclick@example.org"))!;
        Assert.Equal(SubscriptionStatus.Unsubscribed, s.Status);
        Assert.NotNull(s.UnsubscribedAt);
        Assert.True(await app.WithDbAsync(db => db.DigestDeliveries.AllAsync(d => d.Abandoned)));

        // Providers retry: a second POST is still a 200.
        using var again = new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });
        Assert.Equal(HttpStatusCode.OK, (await provider2.PostAsync(oneClick, again)).StatusCode);
        // Someone opening the address lands on the page with a button.
        Assert.StartsWith("/digest/unsubscribe?token=", (await provider2.GetAsync(oneClick)).Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_unsubscribe_link_in_the_body_asks_first_then_offers_to_resubscribe(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var subscription = await AddAsync(app, "body@example.org", SubscriptionStatus.Paused);
        var path = await LinkAsync(app, l => l.UnsubscribePageUrl(subscription));
        var client = Forms.Client(app);
        // The address in the email (also the List-Unsubscribe one) opened in a browser leads to this page.
        var fromEmail = await LinkAsync(app, l => l.UnsubscribeUrl(subscription));
        Assert.StartsWith("/digest/unsubscribe?token=", (await client.GetAsync(fromEmail)).Headers.Location!.OriginalString);

        Assert.NotNull((await client.GetPageAsync(path)).QuerySelector("#unsubscribe-form"));
        Assert.Equal(SubscriptionStatus.Paused, (await FindAsync(app, "body@example.org"))!.Status);

        Assert.Equal(path, (await client.SubmitAsync(path, "#unsubscribe-form")).RedirectTarget());
        Assert.Equal(SubscriptionStatus.Unsubscribed, (await FindAsync(app, "body@example.org"))!.Status);
        var page = await client.GetPageAsync(path);
        Assert.NotNull(page.QuerySelector("#unsubscribed"));

        var resubscribed = await client.SubmitAsync(path, "#resubscribe-form");
        Assert.Equal(path, resubscribed.RedirectTarget());
        var s = (await FindAsync(app, "body@example.org"))!;
        Assert.Equal(SubscriptionStatus.Active, s.Status);
        Assert.Null(s.UnsubscribedAt);
        // The page's POST without its antiforgery token is refused.
        using var bare = new FormUrlEncodedContent(new Dictionary<string, string>());
        var noToken = await app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false }).PostAsync(path, bare);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, (await FindAsync(app, "body@example.org"))!.Status);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Subscribing_is_rate_limited(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var client = Forms.Client(app);
        var form = await client.FindFormAsync("/subscribe", "#subscribe-form");

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 15 && refused is null; i++)
        {
            var response = await client.PostFormAsync(form, new Dictionary<string, string> { ["Input.Email"] = $"r{i}@example.org" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotNull(refused);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.True(await app.WithDbAsync(db => db.Subscriptions.CountAsync()) <= 10);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_signed_in_reader_sees_their_subscription_and_subscribing_links_it_to_their_account(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        var userId = await app.WithScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<User>>();
            var user = new User { UserName = "member@example.org", Email = "member@example.org", EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
            Assert.True((await users.CreateAsync(user, "Long enough passw0rd")).Succeeded);
            return user.Id;
        });
        var client = Forms.Client(app);
        var login = await client.SubmitAsync("/account/login", "main form.form",
            new Dictionary<string, string> { ["Input.Email"] = "member@example.org", ["Input.Password"] = "Long enough passw0rd" });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var before = await client.GetPageAsync("/subscribe");
        Assert.Null(before.QuerySelector("#my-subscription"));
        Assert.Equal("member@example.org", before.QuerySelector("#subscribe-form input[name='Input.Email']")!.GetAttribute("value"));

        Assert.Equal(HttpStatusCode.OK, (await SubscribeAsync(client, "member@example.org")).StatusCode);
        var s = (await FindAsync(app, "member@example.org"))!;
        Assert.Equal(userId, s.UserId);
        Assert.Equal(SubscriptionStatus.Pending, s.Status);

        var after = await client.GetPageAsync("/subscribe");
        var mine = after.QuerySelector("#my-subscription")!;
        Assert.Contains("waiting for its confirmation", mine.TextContent);
        var preferences = new Uri(mine.QuerySelector("a")!.GetAttribute("href")!).PathAndQuery;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(preferences)).StatusCode);

        // Another address typed by a signed-in reader is not attached to their account.
        await SubscribeAsync(client, "someone-else@example.org");
        Assert.Null((await FindAsync(app, "someone-else@example.org"))!.UserId);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Unconfirmed_requests_expire_and_nothing_else_does(DatabaseProvider provider)
    {
        var (app, _) = await StartAsync(provider);
        await using var __ = app;
        await AddAsync(app, "old-pending@example.org", SubscriptionStatus.Pending); // created 30 days ago
        await AddAsync(app, "active@example.org", SubscriptionStatus.Active);
        await AddAsync(app, "gone@example.org", SubscriptionStatus.Unsubscribed);
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = "new-pending@example.org", CreatedAt = DateTime.UtcNow.AddDays(-1) });
            // A former reader who asked to come back: unconfirmed again, but their history stays.
            db.Subscriptions.Add(new Subscription { Email = "returning@example.org", CreatedAt = DateTime.UtcNow.AddDays(-90), ActivatedAt = DateTime.UtcNow.AddDays(-89) });
            return await db.SaveChangesAsync();
        });

        var deleted = await app.WithScopeAsync(s => s.GetRequiredService<SubscriptionCleanup>().RunAsync(CancellationToken.None));

        Assert.Equal(1, deleted);
        Assert.Equal(["active@example.org", "gone@example.org", "new-pending@example.org", "returning@example.org"],
            await app.WithDbAsync(db => db.Subscriptions.OrderBy(s => s.Email).Select(s => s.Email).ToListAsync()));
    }
}
