using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Accounts;

/// <summary>The Admin role on the admin pages and /jobs, the users page, and the reader's account page.</summary>
public sealed partial class AdminAndAccountTests
{
    private static readonly DateOnly Day = new(2026, 6, 12);
    private static readonly string[] AdminPaths = ["/sources", "/sources/edit", "/topics/edit", "/admin/users", "/jobs"];
    private static readonly PaperRecord Sparse = new() { ArxivId = "2606.07001", Title = "Sparse Mixtures of Tiny Experts", ListDay = Day };
    private static readonly PaperRecord Reward = new() { ArxivId = "2606.07002", Title = "Symmetry-Aware Reward Models", ListDay = Day };
    private static readonly PaperRecord Tides = new() { ArxivId = "2606.07003", Title = "Tide Tables for Language Models", ListDay = Day };

    private static async Task<PaperFeedApp> StartWithPapersAsync(DatabaseProvider provider, SmtpSink? mail = null)
    {
        var app = await PaperFeedApp.StartAsync(provider, mail?.AppSettings());
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Sparse, Reward, Tides]));
        return app;
    }

    private static Task<long> PaperIdAsync(PaperFeedApp app, PaperRecord paper) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == paper.ArxivId).Select(p => p.Id).SingleAsync());

    private static async Task VoteAsync(PaperFeedApp app, HttpClient client, PaperRecord paper)
    {
        var id = await PaperIdAsync(app, paper);
        var response = await client.SubmitAsync($"/papers/{paper.ArxivId}", $"form.vote-form[action='/vote/{id}']");
        Assert.Equal($"/papers/{paper.ArxivId}", response.RedirectTarget());
    }

    private static async Task SaveAsync(PaperFeedApp app, HttpClient client, PaperRecord paper)
    {
        var id = await PaperIdAsync(app, paper);
        var response = await client.SubmitAsync($"/papers/{paper.ArxivId}", $"form.save-form[action='/save/{id}']");
        Assert.Equal($"/papers/{paper.ArxivId}", response.RedirectTarget());
    }

    private static Task<Dictionary<string, int>> VoteCountsAsync(PaperFeedApp app) =>
        app.WithDbAsync(db => db.Papers.ToDictionaryAsync(p => p.ArxivId!, p => p.VoteCount));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Admin_pages_send_anonymous_visitors_to_sign_in_refuse_readers_and_open_for_administrators(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        using var anonymous = Forms.Client(app);
        using var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        using var admin = await TestAccounts.AdminAsync(app);

        foreach (var path in AdminPaths)
        {
            var refused = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal("/account/login?ReturnUrl=" + Uri.EscapeDataString(path), refused.Headers.Location!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }
        Assert.Contains("PaperFeed jobs", await admin.GetStringAsync("/jobs"));
        // The admin links in the header are for administrators only.
        Assert.Null((await reader.GetPageAsync("/")).QuerySelector(".site-nav a[href='/sources']"));
        Assert.Null((await anonymous.GetPageAsync("/")).QuerySelector(".site-nav a[href='/sources']"));
        Assert.NotNull((await admin.GetPageAsync("/")).QuerySelector(".site-nav a[href='/sources']"));
    }

    [Fact]
    public async Task Promoting_a_reader_opens_the_admin_pages_at_once_demoting_closes_them_and_no_one_demotes_themselves()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        var adminId = await TestAccounts.CreateAsync(app, "admin@example.org", admin: true);
        using var admin = Forms.Client(app);
        await TestAccounts.SignInAsync(admin, "admin@example.org");
        using var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/sources")).StatusCode);

        var users = await admin.GetPageAsync("/admin/users");
        Assert.Equal(["admin@example.org", "reader@example.org"], users.QuerySelectorAll("tr[data-user]").Select(r => r.GetAttribute("data-user")!));
        Assert.Null(users.QuerySelector("tr[data-user='admin@example.org'] form")); // no Demote button on one's own row
        var promoted = await admin.SubmitAsync("/admin/users", "tr[data-user='reader@example.org'] form[action*='handler=Promote']");
        Assert.Equal("/admin/users", promoted.RedirectTarget());

        // Same cookie as before: the role is read from the database, not from claims issued at sign-in.
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/sources")).StatusCode);
        Assert.Equal("Administrator", (await admin.GetPageAsync("/admin/users")).QuerySelector("tr[data-user='reader@example.org'] .role")!.TextContent);

        // The reader, now an administrator, cannot demote themselves even by forging the form; they can demote the other.
        var demoteOther = await reader.FindFormAsync("/admin/users", "tr[data-user='admin@example.org'] form[action*='handler=Demote']");
        var demoteSelf = demoteOther with { Action = demoteOther.Action.Replace(adminId, await UserIdAsync(app, "reader@example.org"), StringComparison.Ordinal) };
        Assert.Equal("/admin/users", (await reader.PostFormAsync(demoteSelf)).RedirectTarget());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/sources")).StatusCode);
        Assert.Equal("/admin/users", (await reader.PostFormAsync(demoteOther)).RedirectTarget());
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/sources")).StatusCode);
    }

    private static Task<string> UserIdAsync(PaperFeedApp app, string email) =>
        app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_account_page_lists_my_votes_newest_first_and_my_saved_papers_and_unsaves(DatabaseProvider provider)
    {
        await using var app = await StartWithPapersAsync(provider);
        using var me = await TestAccounts.SignedInAsync(app, "me@example.org");
        using var other = await TestAccounts.SignedInAsync(app, "other@example.org");
        await VoteAsync(app, me, Sparse);
        await VoteAsync(app, me, Reward);
        await SaveAsync(app, me, Tides);
        await VoteAsync(app, other, Tides);

        var page = await me.GetPageAsync("/account");

        Assert.Equal([Reward.Title, Sparse.Title], page.QuerySelectorAll(".my-votes li a").Select(a => a.TextContent));
        Assert.All(page.QuerySelectorAll(".my-votes li"), li => Assert.Equal("true", li.QuerySelector("button.vote")!.GetAttribute("aria-pressed")));
        Assert.Equal([Tides.Title], page.QuerySelectorAll(".my-saved li a").Select(a => a.TextContent));
        Assert.Equal([1, 1, 1], (await VoteCountsAsync(app)).Values); // saving is not voting

        var tidesId = await PaperIdAsync(app, Tides);
        var unsaved = await me.SubmitAsync("/account", $"form.save-form[action='/save/{tidesId}']");
        Assert.Equal("/account", unsaved.RedirectTarget());
        Assert.Empty((await me.GetPageAsync("/account")).QuerySelectorAll(".my-saved li"));

        // The script's request: JSON instead of a redirect.
        var form = await me.FindFormAsync($"/papers/{Tides.ArxivId}", $"form.save-form[action='/save/{tidesId}']");
        using var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(form.Fields) };
        request.Headers.Accept.ParseAdd("application/json");
        var json = await me.SendAsync(request);
        Assert.Equal("""{"saved":true}""", await json.Content.ReadAsStringAsync());
        using var anonymous = Forms.Client(app);
        Assert.StartsWith("/account/login", (await anonymous.PostAsync($"/save/{tidesId}", new FormUrlEncodedContent([]))).RedirectPath());
    }

    [Fact]
    public async Task The_export_holds_my_votes_and_saved_papers_and_nothing_of_other_readers()
    {
        await using var app = await StartWithPapersAsync(DatabaseProvider.Sqlite);
        using var me = await TestAccounts.SignedInAsync(app, "me@example.org");
        using var other = await TestAccounts.SignedInAsync(app, "other@example.org");
        await VoteAsync(app, me, Sparse);
        await SaveAsync(app, me, Reward);
        await VoteAsync(app, other, Tides);
        await SaveAsync(app, other, Tides);

        var response = await me.GetAsync("/account/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var text = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal("me@example.org", json.GetProperty("email").GetString());
        Assert.True(json.GetProperty("createdAt").GetDateTime() > DateTime.UtcNow.AddHours(-1));
        var vote = Assert.Single(json.GetProperty("votes").EnumerateArray());
        Assert.Equal(Sparse.ArxivId, vote.GetProperty("arxivId").GetString());
        Assert.Equal(Sparse.Title, vote.GetProperty("title").GetString());
        Assert.True(vote.TryGetProperty("at", out _));
        Assert.Equal(Reward.ArxivId, Assert.Single(json.GetProperty("savedPapers").EnumerateArray()).GetProperty("arxivId").GetString());
        Assert.DoesNotContain("other@example.org", text);
        Assert.DoesNotContain(Tides.ArxivId!, text);
        using var anonymous = Forms.Client(app);
        Assert.StartsWith("/account/login", (await anonymous.GetAsync("/account/export")).RedirectPath());
    }

    [Fact]
    public async Task Changing_the_address_takes_effect_only_when_the_new_address_confirms()
    {
        await using var mail = await SmtpSink.StartAsync();
        await using var app = await StartWithPapersAsync(DatabaseProvider.Sqlite, mail);
        using var me = await TestAccounts.SignedInAsync(app, "old@example.org");

        var response = await me.SubmitAsync("/account", "form.change-email", new Dictionary<string, string> { ["newEmail"] = "new@example.org" });

        Assert.Equal("/account", response.RedirectTarget());
        var toNew = Assert.Single(mail.MessagesTo("new@example.org"));
        var toOld = Assert.Single(mail.MessagesTo("old@example.org"));
        Assert.Contains("new@example.org", toOld.TextBody ?? "");
        Assert.DoesNotContain("/account/confirm-email", toOld.TextBody ?? "");
        var link = new Uri(ConfirmLink().Match(toNew.TextBody ?? "").Value);
        Assert.Equal("old@example.org", await EmailOfAsync(app, "old@example.org")); // nothing changed yet

        // Opening the link changes nothing (mail scanners follow links); the button does.
        Assert.Null(await EmailOfAsync(app, "new@example.org"));
        var confirmed = await me.SubmitAsync(link.PathAndQuery, "main form[method=post]");
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("Your address is now new@example.org.", await confirmed.Content.ReadAsStringAsync());

        var user = await app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync());
        Assert.Equal(("new@example.org", "new@example.org", true), (user.Email, user.UserName, user.EmailConfirmed));
        Assert.Equal("new@example.org", (await me.GetPageAsync("/account")).QuerySelector(".account-email")!.TextContent); // still signed in
        using var again = Forms.Client(app);
        await TestAccounts.SignInAsync(again, "new@example.org");
        using var old = Forms.Client(app);
        var refused = await old.SubmitAsync("/account/login", "main form[method=post]",
            new Dictionary<string, string> { ["Input.Email"] = "old@example.org", ["Input.Password"] = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode); // the form again, with an error

        // The same link a second time does nothing.
        var reused = await me.SubmitAsync(link.PathAndQuery, "main form[method=post]");
        Assert.Contains("not valid", await reused.Content.ReadAsStringAsync());
    }

    private static Task<string?> EmailOfAsync(PaperFeedApp app, string email) =>
        app.WithScopeAsync(async s => (await s.GetRequiredService<UserManager<User>>().FindByEmailAsync(email))?.Email);

    [GeneratedRegex(@"https?://\S+/account/confirm-email\?\S+")]
    private static partial Regex ConfirmLink();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deleting_an_account_withdraws_its_votes_from_the_counts_and_removes_its_rows(DatabaseProvider provider)
    {
        await using var app = await StartWithPapersAsync(provider);
        using var me = await TestAccounts.SignedInAsync(app, "me@example.org");
        using var other = await TestAccounts.SignedInAsync(app, "other@example.org");
        await VoteAsync(app, me, Sparse);
        await VoteAsync(app, me, Reward);
        await SaveAsync(app, me, Tides);
        await VoteAsync(app, other, Sparse);
        var myId = await UserIdAsync(app, "me@example.org");
        await app.WithDbAsync(db =>
        {
            db.ChatChannels.Add(new PaperFeed.Channels.ChatChannel { OwnerId = myId, Name = "Mine", WebhookUrl = "https://hooks.slack.com/services/x", View = "/" });
            return db.SaveChangesAsync();
        });
        Assert.Equal(new Dictionary<string, int> { [Sparse.ArxivId!] = 2, [Reward.ArxivId!] = 1, [Tides.ArxivId!] = 0 }, await VoteCountsAsync(app));

        var response = await me.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });

        Assert.Equal("/", response.RedirectTarget());
        Assert.Equal(new Dictionary<string, int> { [Sparse.ArxivId!] = 1, [Reward.ArxivId!] = 0, [Tides.ArxivId!] = 0 }, await VoteCountsAsync(app));
        Assert.False(await app.WithDbAsync(db => db.Votes.AnyAsync(v => v.UserId == myId)));
        Assert.False(await app.WithDbAsync(db => db.SavedPapers.AnyAsync(s => s.UserId == myId)));
        Assert.False(await app.WithDbAsync(db => db.ChatChannels.AnyAsync(c => c.OwnerId == myId)));
        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == myId)));
        Assert.True(await app.WithDbAsync(db => db.Papers.AllAsync(p => p.VoteCount == db.Votes.Count(v => v.PaperId == p.Id))));
        Assert.StartsWith("/account/login", (await me.GetAsync("/account")).RedirectPath()); // signed out
    }

    [Fact]
    public async Task A_wrong_password_refuses_deletion()
    {
        await using var app = await StartWithPapersAsync(DatabaseProvider.Sqlite);
        using var me = await TestAccounts.SignedInAsync(app, "me@example.org");
        await VoteAsync(app, me, Sparse);

        var response = await me.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = "not my password at all" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("your account was not deleted", await response.Content.ReadAsStringAsync());
        Assert.True(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "me@example.org")));
        Assert.Equal(1, (await VoteCountsAsync(app))[Sparse.ArxivId!]);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/account")).StatusCode);
    }
}
