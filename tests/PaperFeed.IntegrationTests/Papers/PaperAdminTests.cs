using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Papers;

/// <summary>Hiding and merging papers from the paper page, as an administrator.</summary>
public sealed class PaperAdminTests
{
    private static readonly DateOnly June12 = new(2026, 6, 12);
    private static readonly DateOnly June15 = new(2026, 6, 15);
    private const string HuggingFace = "Hugging Face Daily Papers";
    private const string ArxivAi = "arXiv cs.AI (Artificial Intelligence)";
    private const string HideForm = "form[action*='handler=Hide']";
    private const string MergeForm = "form[action*='handler=Merge']";

    private static Task<int> SourceIdAsync(PaperFeedApp app, string name) =>
        app.WithDbAsync(db => db.Sources.Where(s => s.Name == name).Select(s => s.Id).SingleAsync());

    private static async Task IngestAsync(PaperFeedApp app, string source, params PaperRecord[] records)
    {
        var id = await SourceIdAsync(app, source);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(id, records));
    }

    private static async Task<List<string>> DayTitlesAsync(HttpClient client, DateOnly day) =>
        (await client.GetPageAsync($"/papers/date/{day:yyyy-MM-dd}"))
            .QuerySelectorAll("article .card-title a").Select(a => a.TextContent).ToList();

    private static async Task<List<string>> ApiIdsAsync(HttpClient client, DateOnly day)
    {
        var json = JsonDocument.Parse(await client.GetStringAsync($"/api/daily_papers?date={day:yyyy-MM-dd}")).RootElement;
        return json.EnumerateArray().Select(item => item.GetProperty("paper").GetProperty("id").GetString()!).ToList();
    }

    private static async Task<IHtmlDocument> FollowAsync(HttpClient client, HttpResponseMessage response, string expectedTarget)
    {
        Assert.Equal(expectedTarget, Uri.UnescapeDataString(response.RedirectTarget()));
        return await client.GetPageAsync(response.RedirectTarget());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_hidden_paper_is_gone_from_the_day_the_api_and_for_visitors_until_shown_again(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await IngestAsync(app, HuggingFace,
            new PaperRecord { ArxivId = "2606.01001", Title = "Sparse Mixtures of Tiny Experts", ListDay = June12, Upvotes = 42 },
            new PaperRecord { ArxivId = "2606.01002", Title = "Symmetry-Aware Reward Models", ListDay = June12, Upvotes = 7 });
        using var admin = await TestAccounts.AdminAsync(app);
        using var visitor = app.CreateClient();
        Assert.Equal("Hide from every list", (await admin.GetPageAsync("/papers/2606.01001")).QuerySelector($"{HideForm} button")!.TextContent);

        var page = await FollowAsync(admin, await admin.SubmitAsync("/papers/2606.01001", HideForm), "/papers/2606.01001");

        Assert.Equal("This paper is hidden from every list.", page.QuerySelector("p.notice.error")!.TextContent);
        Assert.Equal("The paper is hidden from every list.", page.QuerySelector("p.notice:not(.error)")!.TextContent);
        Assert.Equal("Show this paper again", page.QuerySelector($"{HideForm} button")!.TextContent);
        Assert.Equal(["Symmetry-Aware Reward Models"], await DayTitlesAsync(admin, June12));
        Assert.Equal(["2606.01002"], await ApiIdsAsync(admin, June12));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/papers/2606.01001")).StatusCode);
        var hiddenForVisitor = await visitor.GetAsync("/papers/2606.01001");
        Assert.Equal(HttpStatusCode.NotFound, hiddenForVisitor.StatusCode);
        Assert.DoesNotContain("Sparse Mixtures", await hiddenForVisitor.Content.ReadAsStringAsync());

        page = await FollowAsync(admin, await admin.SubmitAsync("/papers/2606.01001", HideForm), "/papers/2606.01001");

        Assert.Equal("The paper is visible again.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Null(page.QuerySelector("p.notice.error"));
        Assert.Equal(["Sparse Mixtures of Tiny Experts", "Symmetry-Aware Reward Models"], await DayTitlesAsync(admin, June12));
        Assert.Equal(["2606.01001", "2606.01002"], await ApiIdsAsync(admin, June12));
        var shown = await visitor.GetPageAsync("/papers/2606.01001");
        Assert.Equal("Sparse Mixtures of Tiny Experts", shown.QuerySelector("h1")!.TextContent);
        Assert.Null(shown.QuerySelector(".admin-actions"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Only_an_administrator_can_hide_or_merge_even_with_a_valid_form(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await IngestAsync(app, HuggingFace,
            new PaperRecord { ArxivId = "2606.01001", Title = "Sparse Mixtures of Tiny Experts", ListDay = June12 },
            new PaperRecord { Title = "Tiny experts, long contexts", ListDay = June12 });
        using var admin = await TestAccounts.AdminAsync(app);
        var hide = await admin.FindFormAsync("/papers/2606.01001", HideForm);
        var merge = await admin.FindFormAsync("/papers/2606.01001", MergeForm);
        var titleKey = await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == null).Select(p => p.Key).SingleAsync());
        using var anonymous = Forms.Client(app);
        using var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        Assert.Null((await reader.GetPageAsync("/papers/2606.01001")).QuerySelector(".admin-actions"));

        // Each client posts the administrator's forms with an antiforgery token of its own, so only the role differs.
        var anonymousHide = await anonymous.PostFormAsync(await anonymous.WithOwnTokenAsync(hide));
        Assert.Equal("/account/login?ReturnUrl=" + Uri.EscapeDataString("/papers/2606.01001"), anonymousHide.RedirectPath());
        Assert.StartsWith("/account/login", (await anonymous.PostFormAsync(await anonymous.WithOwnTokenAsync(merge), new Dictionary<string, string> { ["into"] = titleKey })).RedirectPath());
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostFormAsync(await reader.WithOwnTokenAsync(hide))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostFormAsync(await reader.WithOwnTokenAsync(merge), new Dictionary<string, string> { ["into"] = titleKey })).StatusCode);

        Assert.False(await app.WithDbAsync(db => db.Papers.AnyAsync(p => p.Hidden)));
        Assert.Equal(2, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_paper_known_by_title_only_merges_into_its_arxiv_paper_with_both_listings(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await IngestAsync(app, ArxivAi, new PaperRecord
        {
            ArxivId = "2606.02001", Title = "Symmetry-Aware Reward Models", ListDay = June15, FromArxiv = true, AnnounceType = "new",
            Authors = ["Emmy Noether"], Abstract = "Reward models that respect the symmetries of the task.",
        });
        await IngestAsync(app, HuggingFace, new PaperRecord { Title = "Symmetry aware reward models (preprint)", ListDay = June12, Upvotes = 9 });
        var titleKey = await app.WithDbAsync(db => db.Papers.Where(p => p.ArxivId == null).Select(p => p.Key).SingleAsync());
        Assert.StartsWith("title:", titleKey, StringComparison.Ordinal);
        using var client = await TestAccounts.AdminAsync(app);

        // A title-keyed paper is read at its title's address (the "title:" one redirects there).
        var path = PaperFeed.Papers.PaperLinks.PagePath(titleKey, "Symmetry aware reward models (preprint)");
        Assert.Equal("/papers/symmetry-aware-reward-models-preprint", path);
        var response = await client.SubmitAsync(path, MergeForm, new Dictionary<string, string> { ["into"] = "2606.02001" });

        var page = await FollowAsync(client, response, "/papers/2606.02001");
        Assert.Equal("The two papers are merged.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Equal("Symmetry-Aware Reward Models", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("dd a[href='/papers/date/2026-06-12']"));
        Assert.NotNull(page.QuerySelector("dd a[href='/papers/date/2026-06-15']"));
        Assert.Equal($"{ArxivAi}, {HuggingFace}", page.QuerySelector(".paper-sources")!.TextContent);
        var upvotes = page.QuerySelectorAll("dl.facts dt").Single(dt => dt.TextContent == "HF upvotes").NextElementSibling!;
        Assert.Equal("9", upvotes.TextContent);

        var papers = await app.WithDbAsync(db => db.Papers.AsNoTracking().Include(p => p.Listings).ToListAsync());
        var kept = Assert.Single(papers);
        Assert.Equal("2606.02001", kept.Key);
        Assert.Equal(9, kept.Upvotes);
        Assert.Equal([June12, June15], kept.Listings.Select(l => l.Day).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/papers/{titleKey}")).StatusCode);
        // Both days now list the one paper.
        Assert.Equal(["Symmetry-Aware Reward Models"], await DayTitlesAsync(client, June12));
        Assert.Equal(["Symmetry-Aware Reward Models"], await DayTitlesAsync(client, June15));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_papers_with_arxiv_ids_are_never_merged(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        await IngestAsync(app, HuggingFace,
            new PaperRecord { ArxivId = "2606.03001", Title = "Diffusion Samplers", ListDay = June12, Upvotes = 3 },
            new PaperRecord { ArxivId = "2606.03002", Title = "Diffusion Samplers Revisited", ListDay = June12, Upvotes = 5 });
        using var client = await TestAccounts.AdminAsync(app);

        var response = await client.SubmitAsync("/papers/2606.03001", MergeForm, new Dictionary<string, string> { ["into"] = "2606.03002" });

        var page = await FollowAsync(client, response, "/papers/2606.03001");
        Assert.Equal("Both papers have an arXiv id (2606.03002, 2606.03001): they are different works.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Equal("Diffusion Samplers", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/papers/2606.03002")).StatusCode);
        Assert.Equal(["Diffusion Samplers Revisited", "Diffusion Samplers"], await DayTitlesAsync(client, June12));
        Assert.Equal(2, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Fact]
    public async Task Merging_into_an_unknown_paper_says_so_and_changes_nothing()
    {
        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite);
        await IngestAsync(app, HuggingFace, new PaperRecord { ArxivId = "2606.03001", Title = "Diffusion Samplers", ListDay = June12 });
        using var client = await TestAccounts.AdminAsync(app);

        var response = await client.SubmitAsync("/papers/2606.03001", MergeForm, new Dictionary<string, string> { ["into"] = "2606.99999" });

        var page = await FollowAsync(client, response, "/papers/2606.03001");
        Assert.Equal("No paper with that id to merge into.", page.QuerySelector("p.notice")!.TextContent);
        Assert.Equal(1, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }
}
