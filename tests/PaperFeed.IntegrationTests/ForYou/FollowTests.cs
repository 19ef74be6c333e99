using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.ForYou;

/// <summary>
/// Following authors and topics on both providers, one app: "Follow" on a paper's author and on a topic page (plain form
/// posts) moves their papers up in that reader's for-you order with the reason "You follow …", not another reader's; the
/// interests page lists and removes follows; export and account deletion include them.
/// </summary>
public sealed class FollowTests
{
    private const string Day = "/papers/date/2026-07-01?tab=all&sort=foryou";

    // Site order by HF upvotes: 1, 2, 3, 4, 5.
    private static readonly (string Id, string Title, string Author, string Category, int Upvotes)[] Papers =
    [
        ("2607.00001", "Vision transformers for segmentation", "A. One", "cs.CV", 50),
        ("2607.00002", "Language model alignment", "B. Two", "cs.CL", 40),
        ("2607.00003", "Graph neural networks for molecules", "C. Three", "cs.LG", 30),
        ("2607.00004", "Legged robots on stairs", "D. Four", "cs.RO", 20),
        ("2607.00005", "Sparse attention kernels", "Grace Hopper", "cs.LG", 10),
    ];

    private static List<(string Id, string? Reason)> Cards(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll(".card").Select(c => (c.QuerySelector(".card-title a")!.GetAttribute("href")!.Replace("/papers/", ""),
            c.QuerySelector(".reason")?.TextContent.Trim())).ToList();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Following_an_author_or_topic_moves_their_papers_up_for_that_reader_only(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:AuthPermitLimit"] = "1000" });
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Papers.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Title + ".", Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 7, 1),
            Authors = [p.Author, "Z. Coauthor"], Categories = [p.Category],
        }).ToList()));
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var adaId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").Select(u => u.Id).SingleAsync());
        var siteOrder = Papers.Select(p => p.Id).ToList();
        Assert.Equal(siteOrder, Cards(await ada.GetPageAsync(Day)).Select(c => c.Id).ToList());

        // Follow the last paper's first author from its page: a form post, back to the page.
        var follow = await ada.FindFormAsync("/papers/2607.00005", "form.follow-author-form");
        Assert.Equal("/papers/2607.00005", (await ada.PostFormAsync(follow, new Dictionary<string, string> { ["value"] = "Grace Hopper" })).RedirectTarget());
        await ada.PostFormAsync(follow, new Dictionary<string, string> { ["value"] = "Grace Hopper" }); // twice: one follow
        Assert.NotNull((await ada.GetPageAsync("/papers/2607.00005")).QuerySelector("form.unfollow-author-form"));
        // A name that is not among the paper's authors is refused.
        Assert.Equal(HttpStatusCode.NotFound, (await ada.PostFormAsync(follow, new Dictionary<string, string> { ["value"] = "Someone Else" })).StatusCode);

        var mine = Cards(await ada.GetPageAsync(Day));
        Assert.Equal(("2607.00005", "You follow Grace Hopper"), mine[0]);
        Assert.Equal(["2607.00001", "2607.00002", "2607.00003", "2607.00004"], mine.Skip(1).Select(c => c.Id).ToList());
        var bobs = Cards(await bob.GetPageAsync(Day));
        Assert.Equal(siteOrder, bobs.Select(c => c.Id).ToList());
        Assert.All(bobs, c => Assert.Null(c.Reason));

        // Follow a topic from its page: both followed papers come first, between them the model's order (no liked paper: the site's).
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/topics/cs-ro", "form.follow-topic-form")).StatusCode);
        mine = Cards(await ada.GetPageAsync(Day));
        Assert.Equal([("2607.00004", "You follow Robotics"), ("2607.00005", "You follow Grace Hopper")], mine.Take(2).ToList());

        // Listed on the interests page, with unfollow; exported; unfollowing the author puts the order back.
        var interests = await ada.GetPageAsync("/account/interests");
        Assert.Equal(["Grace Hopper", "Robotics"], interests.QuerySelectorAll(".my-follows li a").Select(a => a.TextContent).ToList());
        var export = JsonDocument.Parse(await (await ada.GetAsync("/account/export")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["FollowAuthor:Grace Hopper", "FollowTopic:cs-ro"],
            export.GetProperty("rules").EnumerateArray().Select(r => $"{r.GetProperty("kind").GetString()}:{r.GetProperty("value").GetString()}").ToList());
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/account/interests", "form.unfollow-form")).StatusCode);
        mine = Cards(await ada.GetPageAsync(Day));
        Assert.Equal(("2607.00004", "You follow Robotics"), mine[0]);
        Assert.Equal(["2607.00001", "2607.00002", "2607.00003", "2607.00005"], mine.Skip(1).Select(c => c.Id).ToList());

        var deleted = await ada.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });
        Assert.Equal("/", deleted.RedirectTarget());
        Assert.False(await app.WithDbAsync(db => db.ReaderRules.AnyAsync(r => r.UserId == adaId)));
    }
}
