using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.IntegrationTests.Votes;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Votes;

namespace PaperFeed.IntegrationTests.ForYou;

/// <summary>
/// /lab on both providers: an opted-in member's papers appear under their name with the reason, a member who did not opt in
/// never appears, a paper an opted-in member opens leaves "opened by nobody" (another member's opening does not count),
/// the reader sees and forgets their opened papers on /account, and a member's mute rules hide papers from their part of the lab.
/// </summary>
public sealed class LabTests
{
    private const string LikedTitle = "Protein structure prediction from amino acid sequences";

    private static readonly (string Id, string Title, string Abstract, int Upvotes)[] Papers =
    [
        ("2607.00001", "Legged robot locomotion over rough terrain", "A quadruped robot learns locomotion gaits with reinforcement learning on rough terrain and stairs.", 80),
        ("2607.00002", "Protein folding with residue contact maps", "We predict protein folding from amino acid residue contacts and sequence alignments.", 70),
        ("2607.00003", "Robot manipulation with tactile grippers", "A robot arm grasps objects with tactile grippers trained by reinforcement learning.", 60),
        ("2607.00004", "Amino acid sequence models for protein design", "Protein language models over amino acid sequences design stable protein structures.", 50),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Lab_shows_opted_in_members_only_and_what_no_member_opened(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:AuthPermitLimit"] = "1000" });
        var records = Papers.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 7, 1), Authors = ["A. Author"],
        }).Append(new PaperRecord
        {
            // Liked the week before: not one of this week's papers.
            ArxivId = "2606.09999", Title = LikedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 20), Authors = ["B. Author"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        }).Append(new PaperRecord
        {
            ArxivId = "2606.09998", Title = "Robot learning for legged locomotion", Upvotes = 5, ListDay = new DateOnly(2026, 6, 20), Authors = ["C. Author"],
            Abstract = "A legged robot learns locomotion on rough terrain with reinforcement learning.",
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var cy = await TestAccounts.SignedInAsync(app, "cy@example.org");
        await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").ExecuteUpdateAsync(s => s.SetProperty(u => u.Handle, "ada")));
        var adaId = await UserIdAsync(app, "ada@example.org");
        var bobId = await UserIdAsync(app, "bob@example.org");
        await app.WithScopeAsync(async s =>
        {
            var votes = s.GetRequiredService<VoteService>();
            await votes.SetAsync(adaId, await IdAsync(app, "2606.09999"), true, CancellationToken.None);
            return await votes.SetAsync(bobId, await IdAsync(app, "2606.09998"), true, CancellationToken.None);
        });

        // Off by default: nobody shares, and the page says so.
        Assert.Empty((await cy.GetPageAsync("/lab")).QuerySelectorAll(".lab-member"));
        // Ada opts in on her interests page (a plain form); Bob does not.
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/account/interests", "form.share-with-lab",
            new Dictionary<string, string> { ["shareWithLab"] = "true" })).StatusCode);
        Assert.True((await ada.GetPageAsync("/account/interests")).QuerySelector("form.share-with-lab input[name=shareWithLab]")!.HasAttribute("checked"));

        var lab = await cy.GetPageAsync("/lab");
        var members = lab.QuerySelectorAll(".lab-member");
        var section = Assert.Single(members);
        Assert.Equal("ada", section.QuerySelector("h2")!.TextContent.Trim());
        var hrefs = section.QuerySelectorAll("li > a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["/papers/2607.00002", "/papers/2607.00004"], hrefs.Take(2).Order().ToList());
        Assert.Equal("Because you upvoted " + LikedTitle, section.QuerySelector(".reason")!.TextContent.Trim());
        // Bob's robots are nowhere: neither his name nor his interests.
        Assert.DoesNotContain("bob", lab.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(lab.QuerySelectorAll(".lab-unopened a"), a => a.GetAttribute("href") == "/papers/2607.00001");
        Assert.Contains(lab.QuerySelectorAll(".lab-unopened a"), a => a.GetAttribute("href") == "/papers/2607.00002");
        Assert.Contains(lab.QuerySelectorAll(".lab-unopened a"), a => a.GetAttribute("href") == "/papers/2607.00004");

        // Ada opens one; Bob (not sharing) opens the other: only Ada's opening counts.
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/papers/2607.00002")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/papers/2607.00004")).StatusCode);
        var unopened = (await cy.GetPageAsync("/lab")).QuerySelectorAll(".lab-unopened a").Select(a => a.GetAttribute("href")).ToList();
        Assert.DoesNotContain("/papers/2607.00002", unopened);
        Assert.Contains("/papers/2607.00004", unopened);

        // Ada sees what she opened on her account page and forgets it; it is back in "opened by nobody".
        var opened = await IdAsync(app, "2607.00002");
        Assert.Equal([opened.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            (await ada.GetPageAsync("/account")).QuerySelectorAll(".my-opened li").Select(li => li.GetAttribute("data-paper")));
        Assert.Equal(HttpStatusCode.Redirect, (await ada.SubmitAsync("/account", $".my-opened li[data-paper='{opened}'] form")).StatusCode);
        Assert.Empty((await ada.GetPageAsync("/account")).QuerySelectorAll(".my-opened li"));
        Assert.Contains("/papers/2607.00002", (await cy.GetPageAsync("/lab")).QuerySelectorAll(".lab-unopened a").Select(a => a.GetAttribute("href")));

        // Each member's mute rules hold on the lab too: a keyword Ada mutes takes its paper off her list and out of "opened by nobody".
        await app.WithDbAsync(async db =>
        {
            await PaperFeed.ForYou.MuteRules.ReplaceAsync(db, adaId, PaperFeed.ForYou.RuleKind.MuteKeyword, ["folding"], DateTime.UtcNow, CancellationToken.None);
            return await db.SaveChangesAsync();
        });
        var muted = await cy.GetPageAsync("/lab");
        var adas = muted.QuerySelectorAll(".lab-member li > a").Select(a => a.GetAttribute("href")).ToList();
        Assert.DoesNotContain("/papers/2607.00002", adas);
        Assert.Contains("/papers/2607.00004", adas);
        Assert.DoesNotContain(muted.QuerySelectorAll(".lab-unopened a"), a => a.GetAttribute("href") == "/papers/2607.00002");

        // Members' interests are for signed-in members: an anonymous visitor is sent to sign in.
        Assert.StartsWith("/account/login", (await Forms.Client(app).GetAsync("/lab")).Headers.Location!.PathAndQuery(), StringComparison.Ordinal);
    }

    private static Task<long> IdAsync(PaperFeedApp app, string arxivId) =>
        app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == arxivId).Select(p => p.Id).SingleAsync());

    private static Task<string> UserIdAsync(PaperFeedApp app, string email) =>
        app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
}
