using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.IntegrationTests.Votes;
using PaperFeed.Papers;
using PaperFeed.Papers.Related;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.ForYou;

/// <summary>
/// "Not for me" and sort=foryou over HTTP on both providers: a reader's signals change their own day page's order
/// and nobody else's, the reason names a real liked paper, anonymous sort=foryou is the site's order, and deleting
/// the account deletes the signals.
/// </summary>
public sealed class ForYouTests
{
    private const string Day = "/papers/date/2026-07-01";
    private const string Yesterday = "/papers/date/2026-06-30";
    private const string LikedTitle = "Protein structure prediction from amino acid sequences";

    // Site order (HF upvotes) interleaves the two subjects: R1, P1, R2, P2, R3, P3, R4, P4.
    private static readonly (string Id, string Title, string Abstract, int Upvotes)[] Papers =
    [
        ("2607.00001", "Legged robot locomotion over rough terrain", "A quadruped robot learns locomotion gaits with reinforcement learning on rough terrain and stairs.", 80),
        ("2607.00002", "Protein folding with residue contact maps", "We predict protein folding from amino acid residue contacts and sequence alignments.", 70),
        ("2607.00003", "Robot manipulation with tactile grippers", "A robot arm grasps objects with tactile grippers trained by reinforcement learning.", 60),
        ("2607.00004", "Amino acid sequence models for protein design", "Protein language models over amino acid sequences design stable protein structures.", 50),
        ("2607.00005", "Quadruped locomotion policies in simulation", "Locomotion policies for a quadruped robot transfer from simulation to hardware.", 40),
        ("2607.00006", "Protein structure refinement by diffusion", "Diffusion refines predicted protein structure and residue geometry from sequences.", 30),
        ("2607.00007", "Robot navigation among crowds", "A mobile robot navigates crowds with a learned policy and lidar.", 20),
        ("2607.00008", "Binding sites of protein complexes", "We locate binding sites between protein chains from amino acid sequences and structure.", 10),
    ];

    private static async Task<PaperFeedApp> StartAsync(DatabaseProvider provider)
    {
        var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:AuthPermitLimit"] = "1000" });
        var day = Papers.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 7, 1),
            PublishedAt = new DateTime(2026, 6, 30, 0, 0, 0, DateTimeKind.Utc), Authors = ["A. Author"],
        }).ToList();
        PaperRecord liked = new()
        {
            ArxivId = "2606.09999", Title = LikedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 30), Authors = ["B. Author"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        };
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [.. day, liked]));
        return app;
    }

    private static Task<long> IdAsync(PaperFeedApp app, string arxivId) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == arxivId).Select(p => p.Id).SingleAsync());

    private static async Task<List<string>> OrderAsync(HttpClient client, string path)
    {
        var page = await client.GetPageAsync(path);
        return page.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")!.Replace("/papers/", "")).ToList();
    }

    private static readonly List<string> SiteOrder = Papers.Select(p => p.Id).ToList();

    private static async Task UpvoteAsync(HttpClient client, string pagePath, long paperId) =>
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(await Forms.VoteFormAsync(client, pagePath, paperId))).StatusCode);

    private static async Task<HttpResponseMessage> NotForMeAsync(HttpClient client, string pagePath, long paperId) =>
        await client.PostFormAsync(await client.FindFormAsync(pagePath, $"form.not-for-me-form[action='/not-for-me/{paperId}']"));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Upvotes_and_not_for_me_reorder_the_readers_own_day_and_no_one_elses(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        const string forYou = Day + "?sort=foryou";

        // No signals yet: "for you" is the site's order.
        Assert.Equal(SiteOrder, await OrderAsync(ada, forYou));

        await UpvoteAsync(ada, Yesterday, await IdAsync(app, "2606.09999"));
        var order = await OrderAsync(ada, forYou);
        // The four protein papers first, the robots after; each group keeps nothing of the site's interleaving.
        Assert.Equal(["2607.00002", "2607.00004", "2607.00006", "2607.00008"], order.Take(4).Order().ToList());
        Assert.Equal(["2607.00001", "2607.00003", "2607.00005", "2607.00007"], order.Skip(4).Order().ToList());

        // The reason names the liked paper and links to it.
        var page = await ada.GetPageAsync(forYou);
        var reason = page.QuerySelector(".card .reason")!;
        Assert.Equal("Because you upvoted " + LikedTitle, reason.TextContent.Trim());
        Assert.Equal("/papers/2606.09999", reason.QuerySelector("a")!.GetAttribute("href"));
        // The words that weighed most: each in the card's paper and in the liked paper.
        var words = reason.ParentElement!.QuerySelector(".reason-words")!.TextContent.Trim();
        Assert.StartsWith("· words: ", words, StringComparison.Ordinal);
        var card = Papers.Single(p => "/papers/" + p.Id == reason.Closest(".card")!.QuerySelector(".card-title a")!.GetAttribute("href"));
        foreach (var word in words["· words: ".Length..].Split(", "))
        {
            var term = TextVectorizer.Stem(word);
            Assert.Contains(term, TextVectorizer.Tokenize(card.Title + " " + card.Abstract));
            Assert.Contains(term, TextVectorizer.Tokenize(LikedTitle + " Protein structure and folding predicted from amino acid sequences and residue contacts."));
        }
        Assert.Null(page.QuerySelector($".card a[href='/papers/2607.00001']")!.Closest(".card")!.QuerySelector(".reason"));

        // "Not for me" without JavaScript: back to the page, and the card leaves the ranked list.
        var dismissed = await IdAsync(app, order[0]);
        Assert.Equal(forYou, (await NotForMeAsync(ada, forYou, dismissed)).RedirectTarget());
        var after = await OrderAsync(ada, forYou);
        Assert.DoesNotContain(order[0], after);
        Assert.Equal(7, after.Count);
        // The site's own order still shows it, with the undo.
        var undo = (await ada.GetPageAsync(Day)).QuerySelector($"form.not-for-me-form[action='/not-for-me/{dismissed}'] button")!;
        Assert.Equal("Undo not for me", undo.TextContent.Trim());

        // Bob's lists are untouched by Ada's signals.
        Assert.Equal(SiteOrder, await OrderAsync(bob, forYou));
        Assert.Equal(SiteOrder, await OrderAsync(bob, Day));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Not_for_me_alone_lowers_similar_papers_and_undo_restores_the_order(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var cy = await TestAccounts.SignedInAsync(app, "cy@example.org");
        const string forYou = Day + "?sort=foryou";
        var robot = await IdAsync(app, "2607.00001");

        // The script's request: JSON, nothing else changes.
        var form = await cy.FindFormAsync(Day, $"form.not-for-me-form[action='/not-for-me/{robot}']");
        using (var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(form.Fields) })
        {
            request.Headers.Accept.ParseAdd("application/json");
            var response = await cy.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("notForMe").GetBoolean());
        }
        var order = await OrderAsync(cy, forYou);
        Assert.Equal(["2607.00002", "2607.00004", "2607.00006", "2607.00008"], order.Take(4).Order().ToList());
        Assert.DoesNotContain("2607.00001", order);

        // Shown on the account page, and removable there.
        Assert.Contains(robot.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await cy.GetPageAsync("/account")).QuerySelectorAll(".my-not-for-me li").Select(li => li.GetAttribute("data-paper")));
        Assert.Equal(HttpStatusCode.Redirect, (await cy.SubmitAsync("/account", $".my-not-for-me form[action='/not-for-me/{robot}']")).StatusCode);
        Assert.Empty((await cy.GetPageAsync("/account")).QuerySelectorAll(".my-not-for-me li"));
        Assert.Equal(SiteOrder, await OrderAsync(cy, forYou));
    }

    private static async Task<HttpResponseMessage> LessLikeAsync(HttpClient client, string pagePath, long paperId) =>
        await client.PostFormAsync(await client.FindFormAsync(pagePath, $"form.less-like-form[action='/less-like-this/{paperId}']"));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Less_like_this_lowers_the_paper_and_its_subject_without_hiding_it_and_undo_restores_the_order(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var cy = await TestAccounts.SignedInAsync(app, "cy@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        const string forYou = Day + "?sort=foryou";
        var legged = await IdAsync(app, "2607.00001");

        // Without JavaScript: back to the page. The paper stays listed (unlike "not for me"), last, and the other
        // locomotion paper (its subject's words: locomotion) just above it; the rest keep the site's order.
        Assert.Equal(forYou, (await LessLikeAsync(cy, forYou, legged)).RedirectTarget());
        var order = await OrderAsync(cy, forYou);
        Assert.Equal(8, order.Count);
        Assert.Equal(["2607.00005", "2607.00001"], order[^2..]);
        Assert.Equal(SiteOrder.Where(id => id is not "2607.00001" and not "2607.00005"), order.Take(6));
        var undo = (await cy.GetPageAsync(Day)).QuerySelector($"form.less-like-form[action='/less-like-this/{legged}'] button")!;
        Assert.Equal("Undo less like this", undo.TextContent.Trim());
        Assert.Equal(SiteOrder, await OrderAsync(bob, forYou));

        // The script's request (JSON) says the state; marking twice is one mark.
        var form = await cy.FindFormAsync(Day, $"form.less-like-form[action='/less-like-this/{legged}']");
        using (var request = new HttpRequestMessage(HttpMethod.Post, form.Action) { Content = new FormUrlEncodedContent(new Dictionary<string, string>(form.Fields) { ["mark"] = "true" }) })
        {
            request.Headers.Accept.ParseAdd("application/json");
            var response = await cy.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("lessLike").GetBoolean());
        }
        var cyId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "cy@example.org").Select(u => u.Id).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.ReaderRules.CountAsync(r => r.UserId == cyId && r.Kind == PaperFeed.ForYou.RuleKind.LessLike)));

        // Listed among the reader's signals on the account page, exported, and removable there.
        Assert.Equal([legged.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            (await cy.GetPageAsync("/account")).QuerySelectorAll(".my-less-like li").Select(li => li.GetAttribute("data-paper")));
        var export = JsonDocument.Parse(await (await cy.GetAsync("/account/export")).Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(export.GetProperty("rules").EnumerateArray(), r => r.GetProperty("kind").GetString() == "LessLike" && r.GetProperty("value").GetString() == "2607.00001");
        Assert.Equal(HttpStatusCode.Redirect, (await cy.SubmitAsync("/account", $".my-less-like form[action='/less-like-this/{legged}']")).StatusCode);
        Assert.Empty((await cy.GetPageAsync("/account")).QuerySelectorAll(".my-less-like li"));
        Assert.Equal(SiteOrder, await OrderAsync(cy, forYou));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Anonymous_sort_foryou_is_the_site_order_without_a_for_you_link(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var anonymous = Forms.Client(app);
        Assert.Equal(SiteOrder, await OrderAsync(anonymous, Day + "?sort=foryou"));
        var week = await anonymous.GetPageAsync("/papers/week/2026-W27?sort=foryou");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/papers/month/2026-07?sort=foryou")).StatusCode);
        Assert.DoesNotContain(week.QuerySelectorAll(".sorts a"), a => a.TextContent.Trim() == "For you");
        Assert.Empty((await anonymous.GetPageAsync(Day)).QuerySelectorAll("form.not-for-me-form"));
        Assert.StartsWith("/account/login", (await anonymous.GetAsync("/for-you")).Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync(Day + "?sort=mine")).StatusCode);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_week_search_and_the_for_you_page_rank_for_the_reader(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        await UpvoteAsync(ada, Yesterday, await IdAsync(app, "2606.09999"));

        var week = await ada.GetPageAsync("/papers/week/2026-W27?sort=foryou");
        Assert.Contains(week.QuerySelectorAll(".sorts a"), a => a.TextContent.Trim() == "For you" && a.GetAttribute("aria-current") == "true");
        var weekOrder = week.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal("/papers/2607.00002", weekOrder[0]);

        var forYou = await ada.GetPageAsync("/for-you");
        var cards = forYou.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")).ToList();
        // The latest days: 1 July and 30 June; the liked paper itself ranks by its neighbours, not by itself.
        Assert.Equal(9, cards.Count);
        Assert.Contains(cards.Take(5), c => c == "/papers/2607.00002");
        Assert.All(forYou.QuerySelectorAll(".card .reason a"), a => Assert.Equal("/papers/2606.09999", a.GetAttribute("href")));

        // Search: the matches ranked for the reader, each with its reason; anonymous, by relevance and without one.
        var search = await ada.GetPageAsync("/search?q=protein&sort=foryou");
        Assert.Contains(search.QuerySelectorAll(".sorts a"), a => a.TextContent.Trim() == "For you" && a.GetAttribute("aria-current") == "true");
        Assert.Equal("/papers/2606.09999", search.QuerySelector(".card .reason a")!.GetAttribute("href"));
        // A typo: the corrected words are ranked for the reader too, and the page says what it searched.
        var typo = await ada.GetPageAsync("/search?q=protien&sort=foryou");
        Assert.Contains("Showing results for protein", typo.QuerySelector("p.corrected")!.TextContent);
        Assert.Equal(search.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")),
            typo.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")));
        var anonymous = await Forms.Client(app).GetPageAsync("/search?q=protein&sort=foryou");
        Assert.NotEmpty(anonymous.QuerySelectorAll(".card"));
        Assert.Empty(anonymous.QuerySelectorAll(".card .reason"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Export_holds_the_signals_and_deleting_the_account_deletes_them(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var dee = await TestAccounts.SignedInAsync(app, "dee@example.org");
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "dee@example.org").Select(u => u.Id).SingleAsync());
        var form = await dee.FindFormAsync(Day, $"form.not-for-me-form[action='/not-for-me/{await IdAsync(app, "2607.00003")}']");
        await dee.PostFormAsync(form);
        await dee.PostFormAsync(form); // a double submit: still one mark
        Assert.Equal(1, await app.WithDbAsync(db => db.NotForMe.CountAsync(n => n.UserId == userId)));

        // Opening a paper's page: concurrent views of the same paper make one row.
        var views = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => dee.GetAsync("/papers/2607.00005")));
        Assert.All(views, v => Assert.Equal(HttpStatusCode.OK, v.StatusCode));
        Assert.Equal(1, await app.WithDbAsync(db => db.OpenedPapers.CountAsync(o => o.UserId == userId)));

        var export = JsonDocument.Parse(await (await dee.GetAsync("/account/export")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("2607.00003", export.GetProperty("notForMe")[0].GetProperty("arxivId").GetString());
        Assert.Equal("2607.00005", export.GetProperty("openedPapers")[0].GetProperty("arxivId").GetString());

        var response = await dee.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });
        Assert.Equal("/", response.RedirectTarget());
        Assert.False(await app.WithDbAsync(db => db.NotForMe.AnyAsync(n => n.UserId == userId)));
        Assert.False(await app.WithDbAsync(db => db.OpenedPapers.AnyAsync(o => o.UserId == userId)));
    }
}
