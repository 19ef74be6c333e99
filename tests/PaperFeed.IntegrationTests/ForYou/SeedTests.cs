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
/// Seed papers on both providers, one app: a Zotero-shaped BibTeX upload on /account/interests makes the catalog's seed a
/// liked paper at once (the reader's for-you order changes, with the reason naming it, another reader's does not), queues the
/// one the catalog lacks (listed as waiting), and the seeds can be removed; export and account deletion include them.
/// </summary>
public sealed class SeedTests
{
    private const string Day = "/papers/date/2026-07-01?tab=all&sort=foryou";
    private const string SeedTitle = "Protein structure prediction from amino acid sequences";

    // Site order (HF upvotes) interleaves two subjects: R1, P1, R2, P2.
    private static readonly (string Id, string Title, string Abstract, int Upvotes)[] Papers =
    [
        ("2607.00001", "Legged robot locomotion over rough terrain", "A quadruped robot learns locomotion gaits with reinforcement learning on rough terrain and stairs.", 80),
        ("2607.00002", "Protein folding with residue contact maps", "We predict protein folding from amino acid residue contacts and sequence alignments.", 70),
        ("2607.00003", "Robot manipulation with tactile grippers", "A robot arm grasps objects with tactile grippers trained by reinforcement learning.", 60),
        ("2607.00004", "Amino acid sequence models for protein design", "Protein language models over amino acid sequences design stable protein structures.", 50),
    ];

    // As Zotero exports an arXiv preprint and a journal article; 2601.00042 is not in the catalog.
    private const string Bib = """
        @misc{doe_protein_2026,
        	title = {Protein structure prediction from amino acid sequences},
        	url = {http://arxiv.org/abs/2606.09999},
        	doi = {10.48550/arXiv.2606.09999},
        	publisher = {arXiv},
        	author = {Doe, Jane},
        	year = {2026},
        	note = {arXiv:2606.09999 [q-bio]},
        }

        @misc{roe_missing_2026,
        	title = {A {Paper} {Not} {Here} {Yet}},
        	url = {http://arxiv.org/abs/2601.00042},
        	author = {Roe, Richard},
        	year = {2026},
        }

        @article{lecun_deep_2015,
        	title = {Deep learning},
        	doi = {10.1038/nature14539},
        	journal = {Nature},
        	author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
        	year = {2015},
        }
        """;

    private const string MissingSeedFeed = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
          <id>https://arxiv.org/api/test</id><title>arXiv Query</title><updated>2026-07-01T00:00:00Z</updated>
          <opensearch:totalResults>1</opensearch:totalResults>
          <entry>
            <id>http://arxiv.org/abs/2601.00042v1</id>
            <title>A Paper Not Here Yet</title>
            <updated>2026-01-05T18:00:00Z</updated>
            <summary>Surface codes correct quantum errors.</summary>
            <published>2026-01-05T18:00:00Z</published>
            <arxiv:primary_category term="quant-ph"/>
            <category term="quant-ph" scheme="http://arxiv.org/schemas/atom"/>
            <author><name>Richard Roe</name></author>
          </entry>
        </feed>
        """;

    private static List<(string Id, string? Reason)> Cards(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll(".card").Select(c => (c.QuerySelector(".card-title a")!.GetAttribute("href")!.Replace("/papers/", ""),
            c.QuerySelector(".reason")?.TextContent.Trim())).ToList();

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Seeds_from_a_bibtex_upload_change_the_readers_for_you_order(DatabaseProvider provider)
    {
        // A loopback server plays the arXiv API for the seed the catalog lacks.
        await using var arxiv = await LoopbackServer.StartAsync();
        arxiv.MapText("/api/query?id_list=2601.00042&max_results=1", MissingSeedFeed, "application/atom+xml; charset=utf-8");
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["RateLimits:AuthPermitLimit"] = "1000", ["Sources:ArxivApiUrl"] = arxiv.BaseUrl + "/api/query",
        });
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [.. Papers.Select(p => new PaperRecord
        {
            ArxivId = p.Id, Title = p.Title, Abstract = p.Abstract, Upvotes = p.Upvotes, ListDay = new DateOnly(2026, 7, 1), Authors = ["A. Author"],
        }), new PaperRecord
        {
            ArxivId = "2606.09999", Title = SeedTitle, Upvotes = 5, ListDay = new DateOnly(2026, 6, 30), Authors = ["Jane Doe"],
            Abstract = "Protein structure and folding predicted from amino acid sequences and residue contacts.",
        }]));
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        var adaId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.org").Select(u => u.Id).SingleAsync());
        var siteOrder = Papers.Select(p => p.Id).ToList();
        Assert.Equal(siteOrder, Cards(await ada.GetPageAsync(Day)).Select(c => c.Id).ToList());

        // Upload the file (multipart, as the browser sends it, with the page's antiforgery token).
        var form = await ada.FindFormAsync("/account/interests", "#seed-form");
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in form.Fields) content.Add(new StringContent(value), name);
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Bib));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-bibtex");
        content.Add(file, "SeedFile", "My Library.bib");
        var posted = await ada.PostAsync(form.Action, content);
        Assert.Equal("/account/interests#seeds", posted.RedirectTarget());

        // The seed in the catalog counts at once: the protein papers first, the reason naming the seed; Bob's order is the site's.
        var mine = Cards(await ada.GetPageAsync(Day));
        Assert.Equal(["2607.00002", "2607.00004"], mine.Take(2).Select(c => c.Id).Order(StringComparer.Ordinal).ToList());
        // (The robot papers after them: the reader's linear model orders these too, so not necessarily in the site's order.)
        Assert.Equal(["2607.00001", "2607.00003"], mine.Skip(2).Select(c => c.Id).Order(StringComparer.Ordinal).ToList());
        Assert.All(mine.Take(2), c => Assert.Equal($"Near your seed paper {SeedTitle}", c.Reason));
        Assert.Equal(siteOrder, Cards(await bob.GetPageAsync(Day)).Select(c => c.Id).ToList());

        // Listed: the one in the catalog by title, the other waiting to be fetched; the journal article (a DOI the catalog does not know) is not a seed.
        var page = await ada.GetPageAsync("/account/interests");
        Assert.Contains("1 to be fetched from arXiv", page.QuerySelector("#saved")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["arXiv 2601.00042", SeedTitle], page.QuerySelectorAll(".my-seeds li").Select(li => li.QuerySelector("a, span")!.TextContent).ToList());
        Assert.Equal(["2601.00042", "2606.09999"], await app.WithDbAsync(db => db.ReaderRules.Where(r => r.UserId == adaId).Select(r => r.Value).OrderBy(v => v).ToListAsync()));

        // The queued seed, fetched through the arXiv API and the one ingest path, listed on the day arXiv published it (not today).
        Assert.Equal(1, await app.WithScopeAsync(s => s.GetRequiredService<PaperFeed.ForYou.FetchSeedsJob>().RunAsync(CancellationToken.None)));
        Assert.Equal(["/api/query?id_list=2601.00042&max_results=1"], arxiv.Requests.ToList());
        Assert.Equal([new DateOnly(2026, 1, 5)], await app.WithDbAsync(db => db.Listings.Where(l => l.Paper.ArxivId == "2601.00042").Select(l => l.Day).ToListAsync()));
        Assert.Equal(["A Paper Not Here Yet", SeedTitle], (await ada.GetPageAsync("/account/interests")).QuerySelectorAll(".my-seeds li a").Select(a => a.TextContent).ToList());
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<PaperFeed.ForYou.FetchSeedsJob>().RunAsync(CancellationToken.None)));

        var export = JsonDocument.Parse(await (await ada.GetAsync("/account/export")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, export.GetProperty("rules").EnumerateArray().Count(r => r.GetProperty("kind").GetString() == "Seed"));

        // Removing the seed removes its pull: no card is there because of it any more (the other seed, now fetched, still ranks the day).
        var removeForm = await ada.FindFormAsync("/account/interests", ".my-seeds li:nth-child(2) form.remove-seed-form");
        Assert.Equal("2606.09999", removeForm.Fields["arxivId"]);
        Assert.Equal("/account/interests#seeds", (await ada.PostFormAsync(removeForm)).RedirectTarget());
        Assert.DoesNotContain(Cards(await ada.GetPageAsync(Day)), c => c.Reason?.Contains(SeedTitle, StringComparison.Ordinal) == true);

        var deleted = await ada.SubmitAsync("/account", "form.delete-account", new Dictionary<string, string> { ["password"] = TestAccounts.Password });
        Assert.Equal("/", deleted.RedirectTarget());
        Assert.False(await app.WithDbAsync(db => db.ReaderRules.AnyAsync(r => r.UserId == adaId)));
    }
}
