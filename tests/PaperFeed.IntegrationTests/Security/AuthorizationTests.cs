using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// Who may do what: every endpoint behind the Admin policy (found by its metadata, the Hangfire dashboard included) sends
/// an anonymous visitor to sign in, refuses a reader with 403 and opens for an administrator; readers act only on their own rows.
/// </summary>
[Collection(SecuritySiteCollection.Name)]
public sealed class AuthorizationTests(SecuritySite site)
{
    private Dictionary<string, string> Samples() => new() { ["id"] = "1", ["path"] = "recurring" };

    [Fact]
    public async Task Every_admin_endpoint_sends_visitors_to_sign_in_refuses_readers_and_opens_for_admins()
    {
        var admin = Endpoints.Admin(site.App, Samples());
        foreach (var known in new[] { "/sources", "/sources/edit/{id:int?}", "/topics/edit/{id:int?}", "/admin/users", "/jobs/{**path}" })
            Assert.Contains(admin, e => e.Template == known);
        using var anonymous = Forms.Client(site.App);
        foreach (var endpoint in admin)
        {
            foreach (var url in new[] { endpoint.Url, endpoint.Url.Replace("/1", "", StringComparison.Ordinal).Replace("/recurring", "", StringComparison.Ordinal) }.Distinct())
            {
                var visitor = await anonymous.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, visitor.StatusCode);
                Assert.StartsWith("/account/login?ReturnUrl=", visitor.RedirectPath(), StringComparison.Ordinal);

                var reader = await site.Reader.GetAsync(url);
                Assert.True(reader.StatusCode == HttpStatusCode.Forbidden, $"{url} for a reader: {(int)reader.StatusCode}");
                Assert.DoesNotContain("PaperFeed jobs", await reader.Content.ReadAsStringAsync(), StringComparison.Ordinal);

                var administrator = await site.Admin.GetAsync(url);
                Assert.True(administrator.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{url} for an admin: {(int)administrator.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task A_reader_with_a_valid_token_cannot_post_to_admin_endpoints()
    {
        var sourcesBefore = await site.App.WithDbAsync(db => db.Sources.AsNoTracking().Select(s => new { s.Id, s.Enabled }).ToListAsync());
        var readerToken = (await site.Reader.FindFormAsync("/account/login", "main form[method=post]")).Fields[HtmlForm.TokenField];
        var readerId = await site.App.WithDbAsync(db => db.Users.Where(u => u.Email == SecuritySite.ReaderEmail).Select(u => u.Id).SingleAsync());
        foreach (var (url, fields) in new (string, Dictionary<string, string>)[]
        {
            ("/sources?handler=Pause", new() { ["id"] = "1" }),
            ("/sources?handler=Fetch", new() { ["id"] = "1" }),
            ("/sources/edit", new() { ["Input.Name"] = "Evil", ["Input.Url"] = "https://evil.example/feed", ["Input.Kind"] = "Feed" }),
            ("/topics/edit", new() { ["Input.Name"] = "Evil", ["Input.Slug"] = "evil", ["Input.Phrases"] = "evil" }),
            ("/admin/users?handler=Promote", new() { ["userId"] = readerId, ["id"] = readerId }),
            ("/jobs/recurring/trigger", new() { ["jobs[]"] = "fetch-sources" }),
        })
        {
            fields[HtmlForm.TokenField] = readerToken;
            using var content = new FormUrlEncodedContent(fields);
            var response = await site.Reader.PostAsync(url, content);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{url}: {(int)response.StatusCode}");
        }
        Assert.Equal(sourcesBefore.Count, await site.App.WithDbAsync(db => db.Sources.CountAsync()));
        Assert.False(await site.App.WithDbAsync(db => db.Topics.AnyAsync(t => t.Slug == "evil")));
        Assert.False(await site.App.WithDbAsync(db => db.UserRoles.AnyAsync(r => r.UserId == readerId)));
    }

    [Fact]
    public async Task A_reader_changes_only_their_own_votes_and_saved_papers()
    {
        var paper = await site.App.WithDbAsync(db => db.Papers.OrderBy(p => p.Id).Select(p => new { p.Id, p.ArxivId }).FirstAsync());
        using var alice = await TestAccounts.SignedInAsync(site.App, $"alice-{Guid.NewGuid():N}@example.org");
        using var mallory = await TestAccounts.SignedInAsync(site.App, $"mallory-{Guid.NewGuid():N}@example.org");
        var page = $"/papers/{paper.ArxivId}";
        await alice.PostFormAsync(await Forms.VoteFormAsync(alice, page, paper.Id), new Dictionary<string, string> { ["up"] = "true" });
        await alice.SubmitAsync(page, $"form.save-form[action='/save/{paper.Id}']", new Dictionary<string, string> { ["save"] = "true" });
        var countBefore = await site.App.WithDbAsync(db => db.Papers.Where(p => p.Id == paper.Id).Select(p => p.VoteCount).SingleAsync());
        var aliceId = await site.App.WithDbAsync(db => db.Users.Where(u => u.Email!.StartsWith("alice-")).OrderByDescending(u => u.CreatedAt).Select(u => u.Id).FirstAsync());

        // Mallory takes back "a" vote and unsaves, naming Alice wherever a form field could carry a user.
        var tamper = new Dictionary<string, string> { ["up"] = "false", ["save"] = "false", ["userId"] = aliceId, ["UserId"] = aliceId };
        await mallory.PostFormAsync(await Forms.VoteFormAsync(mallory, page, paper.Id), tamper);
        await mallory.SubmitAsync(page, $"form.save-form[action='/save/{paper.Id}']", tamper);

        Assert.Equal(countBefore, await site.App.WithDbAsync(db => db.Papers.Where(p => p.Id == paper.Id).Select(p => p.VoteCount).SingleAsync()));
        Assert.True(await site.App.WithDbAsync(db => db.Votes.AnyAsync(v => v.UserId == aliceId && v.PaperId == paper.Id)));
        Assert.True(await site.App.WithDbAsync(db => db.SavedPapers.AnyAsync(s => s.UserId == aliceId && s.PaperId == paper.Id)));
        // And Mallory's account pages show nothing of Alice's: no vote, no saved paper (Mallory did open the paper page
        // herself, so it is among her own opened papers).
        using var export = System.Text.Json.JsonDocument.Parse(await mallory.GetStringAsync("/account/export"));
        Assert.Empty(export.RootElement.GetProperty("votes").EnumerateArray());
        Assert.Empty(export.RootElement.GetProperty("savedPapers").EnumerateArray());
        Assert.Equal(paper.ArxivId, Assert.Single(export.RootElement.GetProperty("openedPapers").EnumerateArray()).GetProperty("arxivId").GetString());
    }

    [Fact]
    public async Task Account_links_cannot_be_forged_reused_or_used_for_another_address()
    {
        var owner = $"owner-{Guid.NewGuid():N}@example.org";
        var other = $"other-{Guid.NewGuid():N}@example.org";
        await TestAccounts.CreateAsync(site.App, owner);
        await TestAccounts.CreateAsync(site.App, other);
        using var client = Forms.Client(site.App);
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/account/forgot", "main form[method=post]", new Dictionary<string, string> { ["Email"] = owner })).StatusCode);
        var reset = ResetLink(owner);
        var code = Query(reset, "code");

        // The owner's code with another address, a mangled code, no code: refused, and nobody's password changes.
        foreach (var path in new[]
        {
            $"/account/reset?email={Uri.EscapeDataString(other)}&code={code}",
            $"/account/reset?email={Uri.EscapeDataString(owner)}&code={code[..^4]}AAAA",
            $"/account/reset?email={Uri.EscapeDataString(owner)}&code=%FF",
            $"/account/reset?email={Uri.EscapeDataString(owner)}",
        })
        {
            var refused = await client.SubmitAsync(path, "main form[method=post]", new Dictionary<string, string> { ["Password"] = "Hijacked password 123" });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(Forms.Client(site.App), other)).StatusCode);

        // The real link works once; used again, it is refused.
        var first = await client.SubmitAsync(new Uri(reset).PathAndQuery, "main form[method=post]", new Dictionary<string, string> { ["Password"] = "A brand new password 1" });
        Assert.DoesNotContain("not valid", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await client.SubmitAsync(new Uri(reset).PathAndQuery, "main form[method=post]", new Dictionary<string, string> { ["Password"] = "Hijacked password 123" });
        Assert.Contains("not valid", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await TestAccounts.PostSignInAsync(Forms.Client(site.App), owner, "A brand new password 1")).StatusCode);
    }

    [Fact]
    public async Task An_address_change_link_cannot_be_pointed_at_another_address()
    {
        var email = $"mover-{Guid.NewGuid():N}@example.org";
        using var client = await TestAccounts.SignedInAsync(site.App, email);
        var wanted = $"new-{Guid.NewGuid():N}@example.org";
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/account", "form.change-email", new Dictionary<string, string> { ["newEmail"] = wanted })).StatusCode);
        var link = Link(wanted, "/account/confirm-email");
        var stolen = link.Replace(Uri.EscapeDataString(wanted), Uri.EscapeDataString("attacker@evil.example"), StringComparison.Ordinal);
        Assert.NotEqual(link, stolen);

        using var visitor = Forms.Client(site.App);
        var response = await visitor.GetAsync(new Uri(stolen).PathAndQuery);
        if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("<form", StringComparison.Ordinal))
            response = await visitor.SubmitAsync(new Uri(stolen).PathAndQuery, "main form[method=post]");
        Assert.False(await site.App.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == "attacker@evil.example")));
        Assert.True(await site.App.WithDbAsync(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    private string ResetLink(string email) => Link(email, "/account/reset");

    private string Link(string to, string path)
    {
        var message = site.Smtp.Received.Last(m => m.To.Mailboxes.Any(a => a.Address == to) && (m.TextBody ?? "").Contains(path, StringComparison.Ordinal));
        var text = message.TextBody!;
        var start = text.IndexOf("https://", text.IndexOf(path, StringComparison.Ordinal) - 40, StringComparison.Ordinal);
        var end = text.IndexOfAny([' ', '\n', '\r'], start);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static string Query(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query)[name].ToString();
}
