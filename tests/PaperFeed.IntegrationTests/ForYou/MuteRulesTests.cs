using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.ForYou;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.ForYou;

/// <summary>
/// Mute rules on both providers, one app: the dry run on /account/interests counts what the rules would hide without saving,
/// the saved rules hide exactly that many papers of the week, and the same papers on the reader's day page (said, with a link)
/// and in their digest, not another reader's; a keyword added on the digest preferences page is the same list; an
/// account-less subscription's keywords join the account when it subscribes; export and account deletion include the rules.
/// </summary>
public sealed class MuteRulesTests
{
    private static readonly DateTimeOffset FridayMorning = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    private const string Day = "/papers/date/2026-06-11?tab=all";
    private const string Week = "/papers/week/2026-W24";

    private static readonly (string Id, string Title, string Abstract, string Author, string Category, int Upvotes)[] Thursday =
    [
        ("2606.00001", "Latent diffusion for images", "We train a DIFFUSION model on images.", "A. Author", "cs.CV", 80),
        ("2606.00002", "Graph transformers at scale", "Transformers over large graphs.", "Eve Mallory", "cs.LG", 70),
        ("2606.00003", "Side channels in accelerators", "Timing attacks on machine learning accelerators.", "C. Author", "cs.CR", 60),
        ("2606.00004", "Protein folding with contact maps", "Residue contacts predict protein folding.", "D. Author", "q-bio.BM", 50),
        ("2606.00005", "Robot locomotion on rough terrain", "A quadruped robot learns gaits.", "E. Author", "cs.RO", 40),
        ("2606.00006", "Quantum error correction codes", "Surface codes for quantum computers.", "F. Author", "quant-ph", 30),
    ];

    private static List<string> Ids(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll(".card .card-title a").Select(a => a.GetAttribute("href")!.Replace("/papers/", "")).ToList();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_mute_rule_hides_the_same_papers_on_the_readers_pages_and_digest_and_not_for_another_reader(DatabaseProvider provider)
    {
        await using var smtp = SmtpSink.Start();
        var settings = smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["RateLimits:AuthPermitLimit"] = "1000";
        await using var app = await PaperFeedApp.StartAsync(provider, settings, s => s.AddSingleton<TimeProvider>(new FixedTimeProvider(FridayMorning)));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Thursday.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 6, 11),
            Authors = [p.Author], Categories = [p.Category],
        }).ToList()));
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var adaId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").Select(u => u.Id).SingleAsync());
        var bobId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "bob@example.org").Select(u => u.Id).SingleAsync());
        // Ada's address had a digest before her account, with a muted keyword of its own; subscribing from the account adopts it.
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.AddRange(
                new Subscription { Email = "ada@example.org", MuteKeywords = ["Quantum"], Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime },
                new Subscription { Email = "bob@example.org", UserId = bobId, Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = FridayMorning.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        await app.WithScopeAsync(async s =>
        {
            var user = await s.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PaperFeed.Accounts.User>>().FindByIdAsync(adaId);
            await s.GetRequiredService<AccountSubscriptions>().SubscribeAsync(user!, CancellationToken.None);
            return true;
        });
        Assert.Equal(["Quantum"], await app.WithDbAsync(db => db.ReaderRules.Where(r => r.UserId == adaId).Select(r => r.Value).ToListAsync()));
        Assert.Empty(await app.WithDbAsync(db => db.Subscriptions.Where(s => s.Email == "ada@example.org").Select(s => s.MuteKeywords).SingleAsync()));

        // The dry run: counts per rule and together, nothing saved.
        var form = await ada.FindFormAsync("/account/interests", "#mute-form");
        Assert.Equal("Quantum", form.Fields["Input.Keywords"]);
        var rules = new Dictionary<string, string>
        {
            ["Input.Keywords"] = "quantum\ndiffusion", ["Input.Authors"] = "eve mallory", ["Input.Categories"] = "CS.CR",
        };
        var previewAction = (await ada.GetPageAsync("/account/interests")).QuerySelector("#preview-button")!.GetAttribute("formaction")!;
        var preview = await ada.PostFormAsync(form with { Action = previewAction }, rules);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var counted = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await preview.Content.ReadAsStringAsync());
        Assert.Contains("Dry run, not saved", counted.QuerySelector("#counts-heading")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["1", "1", "1", "1"], counted.QuerySelectorAll(".rule-counts tbody td.number").Select(td => td.TextContent).ToList());
        var together = int.Parse(counted.QuerySelector("#hidden-together")!.TextContent, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(4, together);
        Assert.Equal(1, await app.WithDbAsync(db => db.ReaderRules.CountAsync(r => r.UserId == adaId)));

        Assert.Equal("/account/interests", (await ada.PostFormAsync(form, rules)).RedirectTarget());
        Assert.Equal(["MuteAuthor:eve mallory", "MuteCategory:cs.CR", "MuteKeyword:diffusion", "MuteKeyword:quantum"],
            (await app.WithDbAsync(db => db.ReaderRules.Where(r => r.UserId == adaId).Select(r => new { r.Kind, r.Value }).ToListAsync()))
                .Select(r => $"{r.Kind}:{r.Value}").Order(StringComparer.Ordinal).ToList());

        // The week hides what the dry run counted; the day page hides the same papers and says so, with the way to the rules.
        var week = await ada.GetPageAsync(Week);
        Assert.Equal($"{together} papers hidden by your mute rules", week.QuerySelector(".muted-line a")!.TextContent);
        Assert.Equal(2, Ids(week).Count);
        var day = await ada.GetPageAsync(Day);
        Assert.Equal(["2606.00004", "2606.00005"], Ids(day));
        Assert.Equal("/account/interests#mute-rules", day.QuerySelector(".muted-line a")!.GetAttribute("href"));
        Assert.Equal(["2606.00004", "2606.00005"], Ids(await ada.GetPageAsync(Day + "&sort=foryou")));
        var bobs = await bob.GetPageAsync(Day);
        Assert.Equal(Thursday.Select(p => p.Id).ToList(), Ids(bobs));
        Assert.Null(bobs.QuerySelector(".muted-line"));

        // "Vice versa": the digest preferences page edits the same list; a keyword added there hides the paper on the site.
        var preferences = await app.WithScopeAsync(async s => s.GetRequiredService<DigestLinks>()
            .PreferencesUrl(await s.GetRequiredService<PaperFeed.Data.CatalogDbContext>().Subscriptions.SingleAsync(x => x.Email == "ada@example.org")));
        var path = new Uri(preferences).PathAndQuery;
        var prefs = await ada.FindFormAsync(path, "#preferences-form");
        Assert.Equal(["diffusion", "quantum"], prefs.Fields["Input.MuteKeywords"].Split('\n').Order(StringComparer.Ordinal).ToList());
        Assert.Equal(HttpStatusCode.Redirect, (await ada.PostFormAsync(prefs, new Dictionary<string, string> { ["Input.MuteKeywords"] = "diffusion\nquantum\nrobot" })).StatusCode);
        Assert.Equal(["2606.00004"], Ids(await ada.GetPageAsync(Day)));

        // The digest: Ada's leaves out the same papers, Bob's has them all.
        var result = await app.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(2, result.Sent);
        var adas = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "ada@example.org").TextBody!;
        Assert.Equal(["2606.00004"], DigestIds(adas));
        var bobsDigest = smtp.Received.Single(m => m.To.Mailboxes.Single().Address == "bob@example.org").TextBody!;
        Assert.Equal(Thursday.Select(p => p.Id).Order(StringComparer.Ordinal).ToList(), DigestIds(bobsDigest).Order(StringComparer.Ordinal).ToList());

        // Export and deletion.
        var export = JsonDocument.Parse(await (await ada.GetAsync("/account/export")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(5, export.GetProperty("rules").GetArrayLength());
        Assert.Contains(export.GetProperty("rules").EnumerateArray(), r => r.GetProperty("kind").GetString() == "MuteAuthor" && r.GetProperty("value").GetString() == "eve mallory");
        var deleted = await ada.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });
        Assert.Equal("/", deleted.RedirectTarget());
        Assert.False(await app.WithDbAsync(db => db.ReaderRules.AnyAsync(r => r.UserId == adaId)));
    }

    private static List<string> DigestIds(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, @"Paper: \S+/papers/(\S+)").Select(m => m.Groups[1].Value).ToList();
}
