using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Votes;

namespace PaperFeed.IntegrationTests.Digests;

/// <summary>
/// The digest ranked for the reader, on both providers: an account holder's upvotes order their digest (the reason names
/// the liked paper), a subscriber without an account keeps the site's order, and the email's signed 👍 / 👎 links record
/// one signal however often they are followed, through the page's button or the one-click POST; a tampered link is refused.
/// </summary>
public sealed partial class RankedDigestTests
{
    private static readonly DateTimeOffset FridayMorning = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private const string LikedTitle = "Protein structure prediction from amino acid sequences";

    // Site order (HF upvotes) interleaves the two subjects: R1, P1, R2, P2, R3, P3.
    private static readonly (string Id, string Title, string Abstract, int Upvotes)[] Thursday =
    [
        ("2606.00001", "Legged robot locomotion over rough terrain", "A quadruped robot learns locomotion gaits with reinforcement learning on rough terrain and stairs.", 80),
        ("2606.00002", "Protein folding with residue contact maps", "We predict protein folding from amino acid residue contacts and sequence alignments.", 70),
        ("2606.00003", "Robot manipulation with tactile grippers", "A robot arm grasps objects with tactile grippers trained by reinforcement learning.", 60),
        ("2606.00004", "Amino acid sequence models for protein design", "Protein language models over amino acid sequences design stable protein structures.", 50),
        ("2606.00005", "Quadruped locomotion policies in simulation", "Locomotion policies for a quadruped robot transfer from simulation to hardware.", 40),
        ("2606.00006", "Protein structure refinement by diffusion", "Diffusion refines predicted protein structure and residue geometry from sequences.", 30),
    ];

    [GeneratedRegex(@"👍 More like this: (\S+)")] private static partial Regex UpLink();
    [GeneratedRegex(@"👎 Not for me: (\S+)")] private static partial Regex DownLink();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Upvotes_order_the_readers_digest_and_its_feedback_links_record_one_signal(DatabaseProvider provider)
    {
        await using var smtp = SmtpSink.Start();
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        await using var app = await PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(FridayMorning)));
        var records = Thursday.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 6, 11), Authors = ["A. Author"],
        }).Append(new PaperRecord
        {
            ArxivId = "2606.09999", Title = LikedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 10), Authors = ["B. Author"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        var ada = await TestAccounts.CreateAsync(app, "ada@example.org");
        var liked = await IdAsync(app, "2606.09999");
        await app.WithScopeAsync(s => s.GetRequiredService<VoteService>().SetAsync(ada, liked, true, CancellationToken.None));
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.AddRange(
                new Subscription { Email = "ada@example.org", UserId = ada, MaxPapers = 3, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime },
                new Subscription { Email = "anon@example.org", MaxPapers = 3, Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime });
            return await db.SaveChangesAsync();
        });

        var result = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(2, result.Sent);

        // Ada's digest: the three protein papers, each with the reason naming the paper she upvoted, and 👍 / 👎 links.
        var message = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "ada@example.org");
        var mine = message.TextBody!;
        Assert.Equal(3, Regex.Matches(message.HtmlBody!, "class=\"pf-link feedback-down\"").Count);
        Assert.Contains($"Because you upvoted “{LikedTitle}”", WebUtility.HtmlDecode(message.HtmlBody), StringComparison.Ordinal);
        Assert.Contains("ranked for you", mine, StringComparison.Ordinal);
        Assert.Equal(["2606.00002", "2606.00004", "2606.00006"], PaperIds(mine).Order().ToList());
        Assert.Equal(3, Regex.Matches(mine, $"Because you upvoted “{LikedTitle}”").Count);
        Assert.Equal(3, UpLink().Matches(mine).Count);
        // Anon's (no account): the site's order, no reason, no feedback links.
        var theirs = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "anon@example.org").TextBody!;
        Assert.Equal(["2606.00001", "2606.00002", "2606.00003"], PaperIds(theirs));
        Assert.DoesNotContain("Because you", theirs, StringComparison.Ordinal);
        Assert.Empty(UpLink().Matches(theirs));

        // 👍 on the first paper, through the page (no sign-in): a GET changes nothing, the button records it; twice is one vote.
        var client = Forms.Client(app);
        var up = new Uri(UpLink().Match(mine).Groups[1].Value).PathAndQuery;
        var upPaper = await IdAsync(app, PaperIds(mine)[0]);
        var page = await client.GetPageAsync(up);
        Assert.Equal(0, await app.WithDbAsync(db => db.Votes.CountAsync(v => v.UserId == ada && v.PaperId == upPaper)));
        Assert.Contains("Upvote", page.QuerySelector("#feedback-form button")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(up, "#feedback-form")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(up, "#feedback-form")).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.Votes.CountAsync(v => v.UserId == ada && v.PaperId == upPaper)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Papers.Where(p => p.Id == upPaper).Select(p => p.VoteCount).SingleAsync()));

        // 👎 one-click (RFC 8058 style: POST, no cookies, no antiforgery token), twice: one "not for me".
        var down = new Uri(DownLink().Matches(mine)[1].Groups[1].Value).PathAndQuery;
        var downPaper = await IdAsync(app, PaperIds(mine)[1]);
        var anonymous = app.CreateClient();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync(down.Replace("/digest/feedback?", "/digest/feedback/one-click?"), null)).StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.NotForMe.CountAsync(n => n.UserId == ada && n.PaperId == downPaper)));

        // A tampered token: a clear page (400), and the one-click endpoint refuses it; nothing recorded.
        var tampered = up[..^3] + (up[^3] == 'A' ? 'B' : 'A') + up[^2..];
        var refused = await client.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("This link is not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.PostAsync(tampered.Replace("/digest/feedback?", "/digest/feedback/one-click?"), null)).StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Votes.CountAsync(v => v.UserId == ada)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Following_an_author_moves_their_paper_up_in_the_ranked_digest_with_the_reason(DatabaseProvider provider)
    {
        await using var smtp = SmtpSink.Start();
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        await using var app = await PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(FridayMorning)));
        // 2606.00005 (a robot paper, fifth in the site's order) is by R. Robot; the others by A. Author.
        var records = Thursday.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 6, 11),
            Authors = p.Id == "2606.00005" ? ["R. Robot"] : ["A. Author"],
        }).Append(new PaperRecord
        {
            ArxivId = "2606.09999", Title = LikedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 10), Authors = ["B. Author"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        var ada = await TestAccounts.CreateAsync(app, "ada@example.org");
        var bea = await TestAccounts.CreateAsync(app, "bea@example.org");
        foreach (var reader in new[] { ada, bea })
            await app.WithScopeAsync(async s => await s.GetRequiredService<VoteService>().SetAsync(reader, await IdAsync(app, "2606.09999"), true, CancellationToken.None));
        // Ada follows R. Robot (any case, as the site's lists match it); Bea, with the same upvote, does not.
        await app.WithDbAsync(db => PaperFeed.ForYou.Follows.SetAsync(db, ada, PaperFeed.ForYou.RuleKind.FollowAuthor, "r. robot", true, FridayMorning.UtcDateTime, CancellationToken.None));
        await app.WithDbAsync(async db =>
        {
            foreach (var (email, user) in new[] { ("ada@example.org", ada), ("bea@example.org", bea) })
                db.Subscriptions.Add(new Subscription { Email = email, UserId = user, MaxPapers = 3, Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime });
            return await db.SaveChangesAsync();
        });

        Assert.Equal(2, (await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None))).Sent);

        // Bea: the three protein papers, the robot paper not among them.
        var theirs = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "bea@example.org").TextBody!;
        Assert.Equal(["2606.00002", "2606.00004", "2606.00006"], PaperIds(theirs).Order().ToList());
        // Ada: the followed author's paper first, saying why; then the nearest protein papers.
        var mine = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "ada@example.org").TextBody!;
        var ids = PaperIds(mine);
        Assert.Equal("2606.00005", ids[0]);
        Assert.Equal(3, ids.Count);
        Assert.Contains("You follow “r. robot”", mine, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(mine, $"Because you upvoted “{LikedTitle}”").Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reader_who_turns_off_ordering_gets_the_site_order_with_feedback_links_and_no_reasons(DatabaseProvider provider)
    {
        await using var smtp = SmtpSink.Start();
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        await using var app = await PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(FridayMorning)));
        var records = Thursday.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 6, 11), Authors = ["A. Author"],
        }).Append(new PaperRecord
        {
            ArxivId = "2606.09999", Title = LikedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 10), Authors = ["B. Author"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        var ada = await TestAccounts.CreateAsync(app, "ada@example.org");
        await app.WithScopeAsync(async s => await s.GetRequiredService<VoteService>().SetAsync(ada, await IdAsync(app, "2606.09999"), true, CancellationToken.None));
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.AddRange(
                new Subscription { Email = "ada@example.org", UserId = ada, MaxPapers = 3, Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime },
                new Subscription { Email = "anon@example.org", MaxPapers = 3, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        Task<string> PreferencesAsync(string email) => app.WithScopeAsync(async s => new Uri(s.GetRequiredService<DigestLinks>()
            .PreferencesUrl(await s.GetRequiredService<CatalogDbContext>().Subscriptions.SingleAsync(x => x.Email == email))).PathAndQuery);

        // On by default for an account holder; a subscription without an account has no such choice (nothing to rank by).
        var client = Forms.Client(app);
        var path = await PreferencesAsync("ada@example.org");
        var form = await client.FindFormAsync(path, "#preferences-form");
        Assert.Equal("true", form.Fields["Input.OrderForMe"]);
        Assert.Null((await client.GetPageAsync(await PreferencesAsync("anon@example.org"))).QuerySelector("input[name='Input.OrderForMe']"));
        // Ada turns it off (unchecked: only the hidden "false" is posted).
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync(form, new Dictionary<string, string> { ["Input.OrderForMe"] = "false" })).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Subscriptions.Where(x => x.Email == "ada@example.org").Select(x => x.SiteOrder).SingleAsync()));
        Assert.False((await client.GetPageAsync(path)).QuerySelector("input[type=checkbox][name='Input.OrderForMe']")!.HasAttribute("checked"));

        Assert.Equal(2, (await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None))).Sent);
        // The site's order (most upvotes first), no reason, not "ranked for you"; the 👍 / 👎 links stay (they record signals for the site's lists).
        var mine = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "ada@example.org").TextBody!;
        Assert.Equal(["2606.00001", "2606.00002", "2606.00003"], PaperIds(mine));
        Assert.DoesNotContain("Because you", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("ranked for you", mine, StringComparison.Ordinal);
        Assert.Equal(3, UpLink().Matches(mine).Count);
        Assert.Equal(3, DownLink().Matches(mine).Count);
    }

    private static Task<long> IdAsync(PaperFeedApp app, string arxivId) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == arxivId).Select(p => p.Id).SingleAsync());

    /// <summary>The arXiv ids of the digest's papers, in the order listed (their "Paper:" lines).</summary>
    private static List<string> PaperIds(string text) =>
        Regex.Matches(text, @"Paper: \S+/papers/(\S+)").Select(m => m.Groups[1].Value).ToList();
}
