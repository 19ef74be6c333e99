using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Search;

/// <summary>One app per provider with a handful of papers written to tell ranking, phrases and authors apart.</summary>
public sealed class SearchCatalog : IAsyncLifetime
{
    public const string TitleMatch = "Diffusion Models for Protein Design";
    public const string AbstractOnly = "A Survey of Generative Methods";
    public const string Reversed = "Model Diffusion in Social Networks";
    public const string Script = "<script>alert('x')</script> Attention Sinks";
    public const string HintonInTitle = "Hinton Networks Revisited";

    private readonly Dictionary<DatabaseProvider, PaperFeedApp> _apps = [];
    public PaperFeedApp this[DatabaseProvider provider] => _apps[provider];

    public static readonly PaperRecord[] Papers =
    [
        new() { ArxivId = "2606.10001", Title = TitleMatch, Abstract = "We study generative methods for folding.",
            Authors = ["Geoffrey Hinton", "Ada Lovelace"], ListDay = new DateOnly(2026, 6, 3), Upvotes = 1 },
        new() { ArxivId = "2606.10002", Title = AbstractOnly,
            Abstract = "Diffusion models are popular. Diffusion appears many times in this diffusion abstract about diffusion and diffusion.",
            Authors = ["Yann LeCun"], ListDay = new DateOnly(2026, 6, 4), Upvotes = 50 },
        new() { ArxivId = "2606.10003", Title = Reversed, Abstract = "How ideas spread between people.",
            Authors = ["Grace Hopper"], ListDay = new DateOnly(2026, 6, 5), Upvotes = 5 },
        new() { ArxivId = "2607.10004", Title = Script, Abstract = "Attention heads <b>park</b> on the first token.",
            Authors = ["Mallory"], ListDay = new DateOnly(2026, 7, 1), Upvotes = 3 },
        new() { ArxivId = "2606.10005", Title = HintonInTitle, Abstract = "Capsules, again.",
            Authors = ["Alan Turing"], ListDay = new DateOnly(2026, 6, 8), Upvotes = 2 },
    ];

    public async Task InitializeAsync()
    {
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            var app = await PaperFeedApp.StartAsync(provider);
            await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Papers));
            _apps[provider] = app;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values) await app.DisposeAsync();
    }
}

public sealed class SearchTests(SearchCatalog catalog) : IClassFixture<SearchCatalog>
{
    private async Task<IHtmlDocument> GetPageAsync(DatabaseProvider provider, string path)
    {
        using var client = catalog[provider].CreateClient();
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        return new HtmlParser().ParseDocument(html);
    }

    private Task<List<string>> TitlesAsync(DatabaseProvider provider, string path) => TitlesAsync(catalog[provider], path);

    private static async Task<List<string>> TitlesAsync(PaperFeedApp app, string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList();
    }

    private static List<string> Sorted(params string[] titles) => titles.Order().ToList();

    private static string Search(string q) => "/search?q=" + Uri.EscapeDataString(q);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Words_with_typos_that_find_nothing_are_corrected_to_the_titles_words_and_the_page_says_so(DatabaseProvider provider)
    {
        var page = await GetPageAsync(provider, Search("difusion modles protien"));

        Assert.Equal("No paper holds “difusion modles protien”. Showing results for diffusion models protein.", page.QuerySelector("p.corrected")!.TextContent);
        Assert.Equal("/search?q=diffusion%20models%20protein", page.QuerySelector("p.corrected a")!.GetAttribute("href"));
        Assert.Equal(SearchCatalog.TitleMatch, Assert.Single(page.QuerySelectorAll("article .card-title a")).TextContent.Trim());
        // The corrected words are the ones marked.
        Assert.Contains("Protein", page.QuerySelectorAll("article mark").Select(m => m.TextContent));

        // Words that find papers are taken as typed; words near no title word stay as typed and find nothing.
        Assert.Null((await GetPageAsync(provider, Search("diffusion"))).QuerySelector("p.corrected"));
        var nothing = await GetPageAsync(provider, Search("zqxwv"));
        Assert.Null(nothing.QuerySelector("p.corrected"));
        Assert.NotNull(nothing.QuerySelector("section.empty"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Title_matches_rank_above_abstract_only_matches(DatabaseProvider provider)
    {
        var titles = await TitlesAsync(provider, Search("diffusion"));

        Assert.Equal(3, titles.Count);
        Assert.Equal(SearchCatalog.AbstractOnly, titles[^1]);
        Assert.Equal(Sorted(SearchCatalog.Reversed, SearchCatalog.TitleMatch), titles.Take(2).Order().ToList());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_quoted_phrase_matches_only_the_phrase(DatabaseProvider provider)
    {
        var phrase = await TitlesAsync(provider, Search("\"diffusion model\""));
        var words = await TitlesAsync(provider, Search("diffusion model"));

        Assert.Equal(Sorted(SearchCatalog.AbstractOnly, SearchCatalog.TitleMatch), phrase.Order().ToList());
        Assert.Contains(SearchCatalog.Reversed, words);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Author_queries_match_authors_only(DatabaseProvider provider)
    {
        Assert.Equal([SearchCatalog.TitleMatch], await TitlesAsync(provider, Search("author:hinton")));
        Assert.Equal([SearchCatalog.TitleMatch], await TitlesAsync(provider, Search("author:\"Geoffrey Hinton\" protein")));
        Assert.Equal(Sorted(SearchCatalog.HintonInTitle, SearchCatalog.TitleMatch), (await TitlesAsync(provider, Search("hinton"))).Order().ToList());
        Assert.Empty(await TitlesAsync(provider, Search("author:capsules")));
        // A plain word finds an author by name too (unstemmed, on PostgreSQL through the 'simple' part).
        Assert.Equal([SearchCatalog.TitleMatch], await TitlesAsync(provider, Search("lovelace")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_q_filter_of_a_list_view_uses_the_same_matching(DatabaseProvider provider)
    {
        var june = await TitlesAsync(provider, "/papers/month/2026-06?q=diffusion");
        Assert.Equal(Sorted(SearchCatalog.AbstractOnly, SearchCatalog.Reversed, SearchCatalog.TitleMatch), june.Order().ToList());
        Assert.Empty(await TitlesAsync(provider, "/papers/month/2026-06?q=attention"));
        Assert.Single(await TitlesAsync(provider, "/papers/month/2026-07?q=attention"));
        // Punctuation alone searches for nothing, so it filters nothing.
        Assert.Equal(4, (await TitlesAsync(provider, "/papers/month/2026-06?q=%2A%2A")).Count);
        // The search page's rules: a quoted phrase is exact, author: looks at authors only; the same query twice (page and count) on one request.
        Assert.Equal([SearchCatalog.Reversed], await TitlesAsync(provider, "/papers/month/2026-06?q=%22model+diffusion%22"));
        Assert.Equal([SearchCatalog.TitleMatch], await TitlesAsync(provider, "/papers/month/2026-06?q=author%3Ahinton"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_script_in_a_title_stays_text_and_the_match_is_marked(DatabaseProvider provider)
    {
        using var client = catalog[provider].CreateClient();
        var html = await client.GetStringAsync(Search("attention"));

        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; <mark>Attention</mark> Sinks", html);
        Assert.Contains("<mark>Attention</mark> heads &lt;b&gt;park&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>park", html);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_page_has_a_labelled_form_and_results_come_as_feeds_too(DatabaseProvider provider)
    {
        var page = await GetPageAsync(provider, Search("protein"));
        var input = page.QuerySelector("form.search-form input[type=search][name=q]")!;
        Assert.Equal("protein", input.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector($"form.search-form label[for='{input.Id}']"));
        Assert.NotNull(page.QuerySelector("header form[action='/search'] label[for='header-q']"));
        Assert.Equal("/search?q=protein&format=atom", page.QuerySelector("link[type='application/atom+xml']")!.GetAttribute("href"));

        using var client = catalog[provider].CreateClient();
        var atom = await client.GetAsync(Search("protein") + "&format=atom");
        Assert.Equal("application/atom+xml", atom.Content.Headers.ContentType!.MediaType);
        Assert.Contains(SearchCatalog.TitleMatch, await atom.Content.ReadAsStringAsync());
        var json = await client.GetStringAsync(Search("protein") + "&format=json");
        Assert.Contains(SearchCatalog.TitleMatch, json);
    }

    public static TheoryData<DatabaseProvider, string> HostileQueries()
    {
        string[] queries =
        [
            "' OR 1=1 --", "\"unbalanced", "\"", "\"\"", "NEAR(a b)", "a*", "^", "*", "\0", "a\0b", "title:x", "authors : \"x\"",
            "diffusion AND NOT protein", "-diffusion", "a OR b", "(", ")", "{x}", "x:y:z", "author:", "author:\"", "author:*",
            "'; DROP TABLE \"Papers\"; --", "\\", "%_%", "!!", "&", "|", "<->", "a <-> b", "a:*", "'a' & 'b'", "1::text",
            "😀", "🚀 diffusion 🚀", "Ünïcödé naïve café", "扩散模型", "نموذج", "the", "the of and", "x" + new string('\u0301', 5),
            new string('a', 10_000), string.Join(' ', Enumerable.Repeat("diffusion", 3000)), string.Concat(Enumerable.Repeat("\"a ", 500)),
            "<script>alert(1)</script>", "\ud800", "a\ud800b",
        ];
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var q in queries) data.Add(provider, q);
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Any_query_text_gets_a_page_never_an_error(DatabaseProvider provider, string q)
    {
        using var client = catalog[provider].CreateClient();
        // A lone surrogate cannot be URL-escaped as UTF-8: send its replacement character, as a browser would.
        var escaped = Uri.EscapeDataString(string.Concat(q.EnumerateRunes().Select(r => r.ToString())));
        foreach (var path in new[] { "/search?q=" + escaped, "/papers/month/2026-06?q=" + escaped, "/search?page=2&q=" + escaped, "/search?format=json&q=" + escaped })
        {
            var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path[..Math.Min(80, path.Length)]}: {(int)response.StatusCode}");
            Assert.DoesNotContain("Exception", html);
            Assert.DoesNotContain("<script>alert", html);
            if (path.StartsWith("/search?format", StringComparison.Ordinal)) Assert.StartsWith("{", html);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_index_follows_updates_deletes_and_hidden_papers(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        PaperRecord[] records =
        [
            new() { ArxivId = "2606.30001", Title = "Quokka Sampling", Authors = ["Ann Author"], ListDay = new DateOnly(2026, 6, 1) },
            new() { ArxivId = "2606.30002", Title = "Wombat Sampling", ListDay = new DateOnly(2026, 6, 1) },
            new() { ArxivId = "2606.30003", Title = "Numbat Sampling", ListDay = new DateOnly(2026, 6, 1) },
        ];
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
        await app.WithDbAsync(async db =>
        {
            await db.Papers.Where(p => p.ArxivId == "2606.30001").ExecuteUpdateAsync(u => u.SetProperty(p => p.Title, "Platypus Sampling"));
            await db.Papers.Where(p => p.ArxivId == "2606.30002").ExecuteDeleteAsync();
            return await db.Papers.Where(p => p.ArxivId == "2606.30003").ExecuteUpdateAsync(u => u.SetProperty(p => p.Hidden, true));
        });

        Assert.Empty(await TitlesAsync(app, Search("quokka")));
        Assert.Equal(["Platypus Sampling"], await TitlesAsync(app, Search("platypus author:ann")));
        Assert.Empty(await TitlesAsync(app, Search("wombat")));
        Assert.Empty(await TitlesAsync(app, Search("numbat")));
        Assert.Equal(["Platypus Sampling"], await TitlesAsync(app, Search("sampling")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_word_in_more_papers_than_the_bound_ranks_the_most_recently_added_and_says_so(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Search:Candidates"] = "10" });
        static PaperRecord Paper(int i, string title) => new()
        {
            ArxivId = $"2606.{30000 + i}", Title = title, Abstract = $"A graph method, number {i}.", Authors = ["Ann Author"],
            ListDay = new DateOnly(2026, 6, 1),
        };
        // Added first, so the oldest: its title match would rank first, but it is not among the 10 most recently added.
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Paper(0, "Graph Sparsifiers, the Early Version")]));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            Enumerable.Range(1, 11).Select(i => Paper(i, $"Abstract-only study {i}")).ToList()));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Paper(12, "Graph Sparsifiers Today")]));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Paper(13, "Abstract-only study 13")]));

        using var client = app.CreateClient();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("graph")));
        var titles = page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList();

        Assert.Equal(10, titles.Count);
        Assert.Equal("Graph Sparsifiers Today", titles[0]); // the best ranked of the ten: its title matches
        Assert.DoesNotContain("Graph Sparsifiers, the Early Version", titles);
        Assert.DoesNotContain("Abstract-only study 1", titles); // the oldest abstract matches fell outside the ten
        Assert.DoesNotContain("Abstract-only study 2", titles);
        Assert.Contains("Abstract-only study 13", titles);
        Assert.Contains("only the 10 most recently added of them are ranked", page.QuerySelector("p.capped")?.TextContent);

        // A word below the bound is ranked over all its matches, and the page does not say otherwise.
        var narrow = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("sparsifiers")));
        Assert.Equal(Sorted("Graph Sparsifiers Today", "Graph Sparsifiers, the Early Version"),
            narrow.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).Order().ToList());
        Assert.Null(narrow.QuerySelector("p.capped"));

        // The same answer when the matches are no longer among the newest papers (PostgreSQL then finds them through
        // the index instead of walking the newest rows): 60 newer papers without the word.
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            Enumerable.Range(100, 60).Select(i => Paper(i, $"Unrelated note {i}") with { Abstract = "Nothing to see." }).ToList()));
        var later = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("graph")));
        Assert.Equal(titles, later.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList());
        Assert.NotNull(later.QuerySelector("p.capped"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Search_over_hundreds_of_papers_finds_and_marks_every_kind_of_query(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var words = new[] { "diffusion", "transformer", "protein", "graph", "reasoning", "agents", "vision", "language", "robot", "sparse" };
        var records = Enumerable.Range(0, 600).Select(i => new PaperRecord
        {
            ArxivId = $"2606.{20000 + i}",
            Title = $"{words[i % 10]} {words[(i * 7) % 10]} study number {i}",
            Abstract = string.Join(' ', Enumerable.Range(0, 150).Select(j => words[(i + j * 3) % 10] + (j % 2 == 0 ? " models" : " learning"))),
            Authors = [$"Author {i % 37}", "Common Person"],
            ListDay = new DateOnly(2026, 6, 1 + i % 28),
        }).ToList();
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));

        using var client = app.CreateClient();
        foreach (var q in new[] { "diffusion", "\"diffusion models\"", "author:\"common person\" graph", "protein reasoning vision" })
        {
            // Speed is measured by bench/search.sh on a large catalog, not here.
            var html = await client.GetStringAsync(Search(q));
            Assert.Contains("<mark>", html);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_quoted_title_with_hyphenated_words_finds_its_paper(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        PaperRecord[] records =
        [
            new() { ArxivId = "2606.40001", Title = "Few-Shot In-context Learning", Abstract = "Prompts with examples.", ListDay = new DateOnly(2026, 6, 1) },
            new() { ArxivId = "2606.40002", Title = "Sparse Graph Self-Attention Layers", Abstract = "Attention over edges.", ListDay = new DateOnly(2026, 6, 1) },
            new() { ArxivId = "2606.40003", Title = "Few Shot In Context Learning Without Hyphens", Abstract = "Plain spelling.", ListDay = new DateOnly(2026, 6, 1) },
        ];
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));

        // Typed as the title spells it (a stop word inside a hyphenated word, a hyphenated word inside the phrase).
        Assert.Contains("Few-Shot In-context Learning", await TitlesAsync(app, Search("\"Few-Shot In-context Learning\"")));
        Assert.Equal(["Sparse Graph Self-Attention Layers"], await TitlesAsync(app, Search("\"graph self-attention layers\"")));
        // Without the hyphens, the paper spelled without them is found either way.
        Assert.Contains("Few Shot In Context Learning Without Hyphens", await TitlesAsync(app, Search("\"few shot in context learning\"")));
        Assert.Contains("Few Shot In Context Learning Without Hyphens", await TitlesAsync(app, Search("\"Few-Shot In-context Learning\"")));
        // Still a phrase: the same words in another order do not match.
        Assert.Empty(await TitlesAsync(app, Search("\"learning in-context few-shot\"")));
    }

    /// <summary>An old paper holding "state of the art", then 60 newer ones holding its words apart (Search:Candidates 10).</summary>
    private static async Task<PaperFeedApp> OldPhraseAppAsync(DatabaseProvider provider, Dictionary<string, string?> settings)
    {
        var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?>(settings) { ["Search:Candidates"] = "10", ["Search:Semantic"] = "false" });
        static PaperRecord Paper(int i, string title, string summary) => new()
        {
            ArxivId = $"2606.{50000 + i}", Title = title, Abstract = summary, ListDay = new DateOnly(2026, 6, 1),
        };
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [Paper(0, "Quokka Habitats, the Early Version", "The state of the art in marsupial studies.")]));
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            Enumerable.Range(1, 60).Select(i => Paper(i, $"Marsupial note {i}", "The art of reading the state of a colony.")).ToList()));
        if (provider == DatabaseProvider.Postgres) await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("ANALYZE \"Papers\""));
        return app;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_phrase_only_an_old_paper_holds_is_found_among_many_newer_papers_with_its_words(DatabaseProvider provider)
    {
        // PostgreSQL used to check a phrase on the newest 2 x Search:Candidates papers holding its words only (here 20 of 61).
        await using var app = await OldPhraseAppAsync(provider, []);
        using var client = app.CreateClient();

        var page = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("\"state of the art\"")));

        Assert.Equal(["Quokka Habitats, the Early Version"], page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList());
        Assert.Null(page.QuerySelector("p.checked"));
    }

    [Fact]
    public async Task A_phrase_whose_words_are_in_more_papers_than_are_checked_says_since_when_papers_were_checked()
    {
        // PostgreSQL checks a phrase's positions on at most Search:PhraseCheckRows papers holding all its words, the most
        // recently added; SQLite's index holds positions, so it has no such bound.
        await using var app = await OldPhraseAppAsync(DatabaseProvider.Postgres, new() { ["Search:PhraseCheckRows"] = "30" });

        using var client = app.CreateClient();
        var common = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("\"state of the art\"")));
        Assert.Empty(common.QuerySelectorAll("article .card-title a"));
        Assert.Contains("were checked for the exact phrase", common.QuerySelector("p.checked")?.TextContent);
        Assert.Equal("/search?q=state%20of%20the%20art", common.QuerySelector("p.checked a.unquoted")?.GetAttribute("href"));

        // The same paper is found by a phrase whose words are rare, and then nothing is said about a bound.
        var rare = new HtmlParser().ParseDocument(await client.GetStringAsync(Search("\"quokka habitats\"")));
        Assert.Equal(["Quokka Habitats, the Early Version"], rare.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList());
        Assert.Null(rare.QuerySelector("p.checked"));
    }
}
