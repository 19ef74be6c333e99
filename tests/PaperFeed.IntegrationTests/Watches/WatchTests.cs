using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Comments;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Watches;

/// <summary>
/// Watching a paper, on both providers: the enrichment job re-reads the watched paper from a loopback arXiv API, its new
/// version, title, "Accepted at" comment and journal reference reach the next digest once (with another reader's comment,
/// never the reader's own), and /account; an unwatched paper's change is nobody's news; the export holds the watches and
/// deleting the account removes them.
/// </summary>
public sealed class WatchTests : IAsyncLifetime
{
    private static readonly DateTimeOffset FridayMorning = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private const string Watched = "2606.01001";
    private const string Unwatched = "2606.01002";
    private const string NewTitle = "Sparse Mixtures of Tiny Experts for Long-Context Reasoning at Scale";
    private LoopbackServer _arxiv = null!;

    public async Task InitializeAsync()
    {
        _arxiv = await LoopbackServer.StartAsync();
        // The API answers the watched paper's id alone; any other question is a 400, like arXiv's for a bad id list.
        _arxiv.Map("/api/query", async context =>
        {
            if (context.Request.Query["id_list"] == Watched && context.Request.Query["max_results"] == "1")
            {
                context.Response.ContentType = "application/atom+xml; charset=utf-8";
                await context.Response.WriteAsync(Fixtures.Read("arxiv-api-watch-2606.01001v3.xml"));
            }
            else context.Response.StatusCode = StatusCodes.Status400BadRequest;
        });
    }

    public async Task DisposeAsync() => await _arxiv.DisposeAsync();

    /// <summary>Both papers as arXiv described them on Thursday (v2 and v1), listed that day.</summary>
    private static IReadOnlyList<PaperRecord> Thursday(string watchedComment = "18 pages, 6 figures") =>
    [
        new()
        {
            ArxivId = Watched, Version = 2, Title = "Sparse Mixtures of Tiny Experts for Long-Context Reasoning", FromArxiv = true,
            Abstract = "We study sparse mixtures of very small experts and show that they reason over long contexts with a fraction of the compute of dense models.",
            Authors = ["Ada Lovelace", "Alan Turing"], Comments = watchedComment, Categories = ["cs.LG"], ListDay = new DateOnly(2026, 6, 11), Upvotes = 9,
        },
        new()
        {
            ArxivId = Unwatched, Version = 1, Title = "Entropy Bounds for Diffusion Samplers", FromArxiv = true, Authors = ["Claude Shannon"],
            Abstract = "An information-theoretic bound on the number of steps a diffusion sampler needs.", Categories = ["cs.IT"],
            ListDay = new DateOnly(2026, 6, 11), Upvotes = 5,
        },
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_watched_papers_new_version_venue_and_comment_reach_the_next_digest_once_and_the_account_page(DatabaseProvider provider)
    {
        await using var smtp = SmtpSink.Start();
        var clock = new FixedTimeProvider(FridayMorning);
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Sources:ArxivApiUrl"] = _arxiv.BaseUrl + "/api/query";
        await using var app = await PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(clock));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Thursday()));
        var watchedId = await IdAsync(app, Watched);
        var unwatchedId = await IdAsync(app, Unwatched);

        // Ada watches the paper from its page (a plain form: POST, then back to the page).
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var adaId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").Select(u => u.Id).SingleAsync());
        var page = await ada.GetPageAsync($"/papers/{Watched}");
        Assert.Equal("Watch", page.QuerySelector("form.watch-form button")!.TextContent.Trim());
        var watched = await ada.SubmitAsync($"/papers/{Watched}", "form.watch-form");
        Assert.Equal($"/papers/{Watched}", watched.RedirectTarget());
        page = await ada.GetPageAsync($"/papers/{Watched}");
        Assert.Equal("true", page.QuerySelector("form.watch-form button")!.GetAttribute("aria-pressed"));
        Assert.Equal("Watching", page.QuerySelector("form.watch-form button")!.TextContent.Trim());
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = "ada@example.org", UserId = adaId, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime });
            return await db.SaveChangesAsync();
        });

        // Bob comments on the watched paper (a script in it), Ada too: Bob's comment is Ada's news, her own is not.
        var bob = await TestAccounts.CreateAsync(app, "bob@example.org");
        await CommentAsync(app, bob, watchedId, "Nice ablations <script>alert(1)</script>", "bob");
        await CommentAsync(app, adaId, watchedId, "Thanks, I will read it.", "ada");

        // The unwatched paper changes too (a source lists its v2, accepted somewhere): nobody's news.
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [Thursday()[1] with { Version = 2, Comments = "Accepted at NeurIPS 2026" }]));
        Assert.Equal(0, await app.WithDbAsync(db => db.PaperChanges.CountAsync(c => c.PaperId == unwatchedId)));

        // The enrichment job re-reads the watched paper only (both are described by arXiv already), once.
        await app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None));
        Assert.Equal($"/api/query?id_list={Watched}&max_results=1", Assert.Single(_arxiv.Requests));
        Assert.Equal(3, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == watchedId).Select(p => p.Version).SingleAsync()));
        await app.WithScopeAsync(s => s.GetRequiredService<EnrichPapersJob>().RunAsync(CancellationToken.None));
        Assert.Single(_arxiv.Requests);

        var result = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(1, result.Sent);
        var message = Assert.Single(smtp.Received);
        var text = message.TextBody!;
        var section = text[text.IndexOf("Watched papers\n", StringComparison.Ordinal)..];
        Assert.Contains($"* {NewTitle}\n", section, StringComparison.Ordinal);
        Assert.Contains("New version on arXiv: v3", section, StringComparison.Ordinal);
        Assert.Contains($"Title changed from “Sparse Mixtures of Tiny Experts for Long-Context Reasoning” to “{NewTitle}”", section, StringComparison.Ordinal);
        Assert.Contains("Abstract revised: “We add experiments at 70B parameters.”", section, StringComparison.Ordinal);
        Assert.Contains("- Accepted at ICLR 2027 (oral)\n", section, StringComparison.Ordinal);
        Assert.Contains("- Published in Transactions on Machine Learning Research, 2027\n", section, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(section, "New comment by "));
        Assert.Contains("New comment by @bob", section, StringComparison.Ordinal);
        Assert.DoesNotContain("NeurIPS", text, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(text, "New version on arXiv"));
        // The HTML part: the section with the same lines, Bob's comment linked, nothing of his comment's text in it.
        var html = WebUtility.HtmlDecode(message.HtmlBody!);
        Assert.Contains("class=\"pf-rule pf-watched\"", message.HtmlBody!, StringComparison.Ordinal);
        Assert.Contains("Accepted at ICLR 2027 (oral)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", message.HtmlBody!, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"href=""[^""]*/papers/2606\.01001#c-\d+""", message.HtmlBody!);
        Assert.Equal(6, await app.WithDbAsync(db => db.WatchReports.CountAsync(r => r.UserId == adaId)));

        // /account shows the same news under the watched paper.
        var account = await ada.GetPageAsync("/account");
        var item = account.QuerySelector($".my-watched li[data-paper='{watchedId}']")!;
        Assert.Contains(NewTitle, item.TextContent, StringComparison.Ordinal);
        Assert.Contains("Accepted at ICLR 2027 (oral)", item.QuerySelector(".watched-arxivcomment")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(item.QuerySelector(".watched-version"));

        // Monday's digest (Friday to Sunday's listings: a new paper listed Friday): the news was told, it is not told again.
        clock.Now = FridayMorning.AddDays(3);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
        [
            new PaperRecord { ArxivId = "2606.02001", Title = "A Friday paper", Abstract = "Listed on Friday.", ListDay = new DateOnly(2026, 6, 12), Authors = ["F. Day"] },
        ]));
        result = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(1, result.Sent);
        var monday = smtp.Received.Last().TextBody!;
        Assert.Contains("A Friday paper", monday, StringComparison.Ordinal);
        Assert.DoesNotContain("Watched papers", monday, StringComparison.Ordinal);
        Assert.DoesNotContain("Watched papers", smtp.Received.Last().HtmlBody!, StringComparison.Ordinal);

        // A later comment by Bob is news again, once: alone it makes a digest (Tuesday's period, Monday, has no papers).
        await CommentAsync(app, bob, watchedId, "Code is out now.", null);
        clock.Now = FridayMorning.AddDays(4);
        result = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(1, result.Sent);
        var tuesday = smtp.Received.Last();
        Assert.Contains("news of 1 watched paper", tuesday.Subject, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(tuesday.TextBody!, "New comment by @bob"));
        Assert.DoesNotContain("New version", tuesday.TextBody!, StringComparison.Ordinal);
        Assert.Equal(3, smtp.Received.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_export_holds_the_watches_and_deleting_the_account_removes_them(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Thursday()));
        var client = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var adaId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").Select(u => u.Id).SingleAsync());
        await client.SubmitAsync($"/papers/{Watched}", "form.watch-form");
        // Bob's comment is news for Ada; say a digest told her of it (the report row is hers too).
        var other = await TestAccounts.CreateAsync(app, "bob@example.org");
        await CommentAsync(app, other, await IdAsync(app, Watched), "A comment.", "bob");
        var change = await app.WithDbAsync(db => db.PaperChanges.SingleAsync());
        await app.WithDbAsync(async db =>
        {
            db.WatchReports.Add(new PaperFeed.Watches.WatchReport { UserId = adaId, ChangeId = change.Id, DeliveryId = 1 });
            return await db.SaveChangesAsync();
        });

        var export = await client.GetAsync("/account/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        using var json = JsonDocument.Parse(await export.Content.ReadAsStringAsync());
        var watches = json.RootElement.GetProperty("watchedPapers");
        Assert.Equal(Watched, Assert.Single(watches.EnumerateArray()).GetProperty("arxivId").GetString());

        var deleted = await client.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });
        Assert.Equal("/", deleted.RedirectTarget());
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Id == adaId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.PaperWatches.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.WatchReports.CountAsync()));
        // The change itself stays: it is the paper's, news for any other watcher.
        Assert.Equal(1, await app.WithDbAsync(db => db.PaperChanges.CountAsync()));
    }

    private static Task<long> IdAsync(PaperFeedApp app, string arxivId) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == arxivId).Select(p => p.Id).SingleAsync());

    private static async Task CommentAsync(PaperFeedApp app, string userId, long paperId, string body, string? handle)
    {
        var outcome = await app.WithScopeAsync(s => s.GetRequiredService<CommentService>().PostAsync(userId, paperId, null, body, handle, CancellationToken.None));
        Assert.Null(outcome.Problem);
    }
}
