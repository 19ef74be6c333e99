using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Accounts;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Comments;

/// <summary>The discussion over HTTP on both providers, emails through MailKit to the loopback SMTP server.</summary>
public sealed class CommentTests : IAsyncLifetime
{
    private const string PaperPage = "/papers/2606.01001";
    private const string NewComment = "#discussion > form.comment-form";
    private const string Hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) **bold** \" onmouseover=\"alert(5)";
    private SmtpSink _smtp = null!;

    public async Task InitializeAsync() => _smtp = await SmtpSink.StartAsync();
    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    private async Task<PaperFeedApp> StartAsync(DatabaseProvider provider)
    {
        var settings = _smtp.AppSettings();
        settings["RateLimits:AuthPermitLimit"] = "1000";
        var app = await PaperFeedApp.StartAsync(provider, settings);
        await AccountFlowTests.SeedDayAsync(app);
        return app;
    }

    private static async Task<long> PostAsync(HttpClient client, string body, string? handle = null, long? replyTo = null)
    {
        var selector = replyTo is { } id ? $"#c-{id} details.comment-reply form" : NewComment;
        var values = new Dictionary<string, string> { ["body"] = body };
        if (handle is not null) values["handle"] = handle;
        var response = await client.SubmitAsync(PaperPage, selector, values);
        var target = response.RedirectTarget();
        Assert.StartsWith(PaperPage + "#c-", target);
        return long.Parse(target[(PaperPage.Length + 3)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, long commentId, string handler, Dictionary<string, string>? values = null) =>
        client.SubmitAsync(PaperPage, $"#c-{commentId} form[action*='handler={handler}']", values);

    private static async Task<IHtmlElement> DiscussionAsync(HttpClient client) =>
        (IHtmlElement)(await client.GetPageAsync(PaperPage)).QuerySelector("#discussion")!;

    private static Task<int> CountAsync(PaperFeedApp app) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == "2606.01001").Select(p => p.CommentCount).SingleAsync());

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_commented_papers_count_is_in_the_lists_atom_feed_and_nothing_the_comments_hold(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        using var anonymous = app.CreateClient();
        System.Xml.Linq.XNamespace atom = "http://www.w3.org/2005/Atom", thr = "http://purl.org/syndication/thread/1.0";
        async Task<string> RepliesTotalAsync()
        {
            var response = await anonymous.GetAsync("/papers/date/2026-06-12?format=atom");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Quokka", body);
            var entry = System.Xml.Linq.XDocument.Parse(body).Root!.Elements(atom + "entry")
                .Single(e => e.Element(atom + "id")!.Value.EndsWith(PaperPage, StringComparison.Ordinal));
            var replies = entry.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "replies");
            Assert.EndsWith(PaperPage + "#discussion", (string)replies.Attribute("href")!);
            return (string)replies.Attribute(thr + "total")!;
        }

        Assert.Equal("0", await RepliesTotalAsync());
        await PostAsync(ada, "Quokka <b>secret</b> thoughts", handle: "ada");
        await PostAsync(bob, "Quokka too", handle: "bob");

        Assert.Equal("2", await RepliesTotalAsync());
        foreach (var format in new[] { "rss", "json" })
            Assert.DoesNotContain("Quokka", await (await anonymous.GetAsync("/papers/date/2026-06-12?format=" + format)).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_hostile_comment_is_inert_on_the_page_and_in_the_email_and_a_mention_sends_one_email(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var admin = await TestAccounts.AdminAsync(app);

        // A name that is not a handle: a one-line reason, the text kept in the form, nothing saved.
        var refused = await ada.SubmitAsync(PaperPage, NewComment, new Dictionary<string, string> { ["body"] = Hostile, ["handle"] = "<script>" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedPage = new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        Assert.StartsWith("Choose a name to comment under", refusedPage.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(Hostile, ((IHtmlTextAreaElement)refusedPage.QuerySelector("textarea[name=body]")!).Value);
        Assert.Equal(0, await app.WithDbAsync(db => db.Comments.CountAsync()));

        var adaComment = await PostAsync(ada, Hostile, handle: "Ada");
        var bobComment = await PostAsync(bob, "@ada what about <script>alert(4)</script>? cc @bob @nobody", handle: "bob");
        // The mention: one email to ada (none to bob, who wrote it; none to a handle nobody has), plain text only.
        var mention = Assert.Single(_smtp.MessagesTo("ada@example.org"));
        Assert.Equal("bob mentioned you on \"" + await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == "2606.01001").Select(p => p.Title).SingleAsync()) + "\"", mention.Subject);
        Assert.Null(mention.HtmlBody);
        Assert.Contains("@ada what about <script>alert(4)</script>?", mention.TextBody);
        Assert.Contains($"http://localhost{PaperPage}#c-{bobComment}", mention.TextBody);
        Assert.Empty(_smtp.MessagesTo("bob@example.org"));

        // A reply that also mentions her: still one email, about the reply.
        var reply = await PostAsync(bob, "Agreed, @ada.", replyTo: adaComment);
        Assert.Equal(2, _smtp.MessagesTo("ada@example.org").Count);
        Assert.StartsWith("bob replied to your comment", _smtp.MessagesTo("ada@example.org")[1].Subject);

        // Anonymous page: the hostile text is text; no element, attribute or address from it can run.
        var anonymous = app.CreateClient();
        var discussion = await DiscussionAsync(anonymous);
        Assert.Contains("(3 comments)", discussion.QuerySelector("h2")!.TextContent);
        var adaBody = discussion.QuerySelector($"#c-{adaComment} .comment-body")!;
        Assert.Contains("<script>alert(1)</script>", adaBody.TextContent);
        Assert.Equal("bold", adaBody.QuerySelector("strong")!.TextContent);
        Assert.Empty(discussion.QuerySelectorAll("script, img, svg, iframe, style"));
        Assert.DoesNotContain(discussion.QuerySelectorAll("*").SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.Ordinal));
        Assert.DoesNotContain(discussion.QuerySelectorAll("a[href]"), a => a.GetAttribute("href")!.Contains("javascript", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("ada", discussion.QuerySelector($"#c-{adaComment} .comment-author")!.TextContent);
        Assert.NotNull(discussion.QuerySelector($"#c-{adaComment} + .replies #c-{reply}"));
        // The card counts our own discussion, apart from Hugging Face's comments.
        var day = await anonymous.GetPageAsync("/papers/date/2026-06-12");
        Assert.Equal("3 in discussion", day.QuerySelector($"a.discussion-count[href='{PaperPage}#discussion']")!.TextContent.Trim());

        // Upvote (not one's own), best order, report, hide and restore.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ada, bobComment, "Vote")).StatusCode);
        Assert.Null((await DiscussionAsync(ada)).QuerySelector($"#c-{adaComment} form[action*='handler=Vote']"));
        var best = (await DiscussionAsync(anonymous)).QuerySelectorAll("ol.comments > li > article").Select(a => a.Id).ToList();
        Assert.Equal([$"c-{bobComment}", $"c-{adaComment}"], best);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(bob, adaComment, "Report", new() { ["reason"] = "script <b>spam</b>" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(bob, adaComment, "Report", new() { ["reason"] = "again" })).StatusCode);
        Assert.Contains("reported 1×", (await DiscussionAsync(admin)).QuerySelector($"#c-{adaComment}")!.TextContent);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostFormAsync(await bob.WithOwnTokenAsync(
            await admin.FindFormAsync(PaperPage, $"#c-{adaComment} form[action*='handler=Hide']")))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(admin, adaComment, "Hide")).StatusCode);
        var hidden = await DiscussionAsync(anonymous);
        Assert.Contains("hidden by a moderator", hidden.QuerySelector($"#c-{adaComment}")!.TextContent);
        Assert.DoesNotContain("alert(1)", hidden.TextContent);
        Assert.NotNull(hidden.QuerySelector($"#c-{reply}")); // the reply keeps its thread
        Assert.Equal(2, await CountAsync(app));
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(admin, adaComment, "Hide")).StatusCode);
        Assert.Equal(3, await CountAsync(app));
        Assert.Contains("alert(1)", (await DiscussionAsync(anonymous)).QuerySelector($"#c-{adaComment}")!.TextContent);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deleting_an_account_erases_its_comments_and_keeps_the_replies_of_others(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var adaComment = await PostAsync(ada, "Ada's *first* thought", handle: "ada");
        var bobComment = await PostAsync(bob, "Bob's view", handle: "bob");
        var bobReply = await PostAsync(bob, "Bob answers Ada", replyTo: adaComment);
        var adaReply = await PostAsync(ada, "Ada answers Bob", replyTo: bobComment);
        await ActAsync(ada, bobComment, "Vote");
        Assert.Equal(4, await CountAsync(app));

        // Editing one's own, and the preference: with it off, a mention sends nothing.
        Assert.Equal(HttpStatusCode.Redirect, (await ActAsync(ada, adaComment, "Edit", new() { ["body"] = "Ada's *second* thought" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/account", "form.comment-emails", new Dictionary<string, string> { ["commentEmails"] = "false" })).StatusCode);
        var mailsBefore = _smtp.MessagesTo("ada@example.org").Count;
        await PostAsync(bob, "@ada are you there?", replyTo: adaComment);
        Assert.Equal(mailsBefore, _smtp.MessagesTo("ada@example.org").Count);

        // The export holds her comments as written.
        using var export = System.Text.Json.JsonDocument.Parse(await ada.GetStringAsync("/account/export"));
        Assert.Equal("ada", export.RootElement.GetProperty("handle").GetString());
        Assert.Equal(["Ada answers Bob", "Ada's *second* thought"],
            export.RootElement.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("markdown").GetString()!).Order(StringComparer.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password })).StatusCode);

        var discussion = await DiscussionAsync(app.CreateClient());
        Assert.DoesNotContain("Ada's", discussion.TextContent);
        Assert.DoesNotContain("Ada answers", discussion.TextContent);
        Assert.Contains("This comment was deleted.", discussion.QuerySelector($"#c-{adaComment}")!.TextContent);
        Assert.Contains("Bob answers Ada", discussion.QuerySelector($"#c-{bobReply}")!.TextContent);
        Assert.Null(discussion.QuerySelector($"#c-{adaReply}"));
        Assert.Contains("▲ 0", discussion.QuerySelector($"#c-{bobComment}")!.TextContent);
        var rows = await app.WithDbAsync(db => db.Comments.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.UserId, c.Body, c.Score }).ToListAsync());
        Assert.DoesNotContain(rows, r => r.Body.Contains("Ada's", StringComparison.Ordinal) || r.Body.Contains("Ada answers", StringComparison.Ordinal));
        Assert.Equal(4, rows.Count); // ada's placeholder, bob's comment and two replies to ada
        Assert.Equal(3, await CountAsync(app));
        Assert.Equal(0, await app.WithDbAsync(db => db.CommentVotes.CountAsync()));
    }
}
