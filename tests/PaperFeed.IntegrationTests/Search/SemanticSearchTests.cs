using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Embeddings;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Search;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Search;

/// <summary>
/// One app per provider over papers on unrelated subjects, embedded with the real model; one paper is added after
/// embedding, so it has no vector. Queries describe papers in words that appear in neither title nor abstract.
/// </summary>
public sealed class SemanticCatalog : IAsyncLifetime
{
    public const string Garments = "Dexterous Garment Manipulation with Bimanual Imitation";
    public const string Tumours = "Label-Efficient Segmentation of Tumours in CT Scans";
    public const string Sampler = "Fewer Steps for Denoising Generative Samplers";
    public const string Rainfall = "Statistical Downscaling of Precipitation Forecasts";
    public const string Contracts = "Retrieval-Augmented Answering over Legal Contracts";
    public const string Molecules = "Graph Networks for Molecule Property Prediction";
    public const string Speech = "Transcribing Low-Resource Languages from Raw Audio";
    public const string Qubits = "Surface Codes on Superconducting Qubits";
    /// <summary>Rainfall's DOI, as ingest stores it (lower case).</summary>
    public const string Doi = "10.5555/x7q.2026.0412";

    private readonly Dictionary<DatabaseProvider, PaperFeedApp> _apps = [];
    public PaperFeedApp this[DatabaseProvider provider] => _apps[provider];

    /// <summary>Vectors are checked for on every search, so a test sees what it just embedded.</summary>
    public static readonly Dictionary<string, string?> Fresh = new() { ["Embeddings:RefreshSeconds"] = "0" };

    private static PaperRecord Paper(string id, string title, string abstractText) =>
        new() { ArxivId = id, Title = title, Abstract = abstractText, Authors = ["Ada Lovelace"], ListDay = new DateOnly(2026, 6, 3) };

    public static readonly PaperRecord[] Papers =
    [
        Paper("2606.20001", Garments, "We present a policy for smoothing and creasing cloth with two arms, trained from human demonstrations of textile handling."),
        Paper("2606.20002", Tumours, "A semi-supervised approach delineates lesions in radiology volumes using only a few annotated slices."),
        Paper("2606.20003", Sampler, "We distil a score-based image generator into a student network that produces pictures in four evaluations instead of a thousand."),
        Paper("2606.20004", Rainfall, "We refine coarse weather predictions into kilometre-scale rainfall maps with a conditional generative network.") with { Doi = Doi },
        Paper("2606.20005", Contracts, "A question answering system over lengthy agreements fetches relevant clauses before a language model responds."),
        Paper("2606.20006", Molecules, "Message passing over atoms and bonds predicts the solubility and toxicity of drug candidates."),
        Paper("2606.20007", Speech, "Self-supervised acoustic pretraining turns spoken recordings into text for tongues with only a few hours of annotated audio."),
    ];

    public static readonly PaperRecord Unembedded = Paper("2606.20008", Qubits, "Logical qubits protected by error-correcting lattices on a cryogenic processor.");

    public async Task InitializeAsync()
    {
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            var app = await PaperFeedApp.StartAsync(provider, Fresh);
            await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, Papers));
            await app.WithScopeAsync(s => s.GetRequiredService<PaperEmbedder>().EmbedMissingAsync(null, null, CancellationToken.None));
            await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [Unembedded]));
            _apps[provider] = app;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values) await app.DisposeAsync();
    }
}

public sealed class SemanticSearchTests(SemanticCatalog catalog) : IClassFixture<SemanticCatalog>
{
    private static async Task<List<string>> TitlesAsync(PaperFeedApp app, string q)
    {
        using var client = app.CreateClient();
        var path = "/search?q=" + Uri.EscapeDataString(q);
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return page.QuerySelectorAll("article .card-title a").Select(a => a.TextContent.Trim()).ToList();
    }

    private static Task<SearchResults> LexicalAsync(PaperFeedApp app, string q) =>
        app.WithScopeAsync(s => s.GetRequiredService<HybridSearch>().SearchAsync(q, SearchQuery.Parse(q)!, 1, 20, CancellationToken.None, SearchMode.Lexical));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "robots that learn to fold clothes", SemanticCatalog.Garments)]
    [InlineData(DatabaseProvider.Postgres, "robots that learn to fold clothes", SemanticCatalog.Garments)]
    [InlineData(DatabaseProvider.Sqlite, "medical image segmentation with little labeled data", SemanticCatalog.Tumours)]
    [InlineData(DatabaseProvider.Postgres, "medical image segmentation with little labeled data", SemanticCatalog.Tumours)]
    [InlineData(DatabaseProvider.Sqlite, "speeding up diffusion model sampling", SemanticCatalog.Sampler)]
    [InlineData(DatabaseProvider.Postgres, "speech recognition when there is hardly any training data", SemanticCatalog.Speech)]
    // Hyphenated words are a phrase to the lexical side, not a constraint: still searched by meaning.
    [InlineData(DatabaseProvider.Sqlite, "two-handed robots that learn to fold clothes", SemanticCatalog.Garments)]
    [InlineData(DatabaseProvider.Postgres, "short-range weather forecasts at high resolution", SemanticCatalog.Rainfall)]
    public async Task A_paper_described_in_other_words_is_found_first(DatabaseProvider provider, string q, string title)
    {
        var app = catalog[provider];
        // The words alone find nothing: the paper is found by meaning.
        Assert.Empty((await LexicalAsync(app, q)).Papers);

        var titles = await TitlesAsync(app, q);

        Assert.Equal(title, titles.FirstOrDefault());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Semantic_search_off_answers_lexically(DatabaseProvider provider)
    {
        await using var lexical = new PaperFeedApp(catalog[provider].Database,
            new Dictionary<string, string?>(SemanticCatalog.Fresh) { ["Search:Semantic"] = "false" }, ownsDatabase: false);

        Assert.Empty(await TitlesAsync(lexical, "robots that learn to fold clothes"));
        Assert.Equal([SemanticCatalog.Garments], await TitlesAsync(lexical, "garment"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_quoted_phrase_or_an_author_filter_stays_exact(DatabaseProvider provider)
    {
        var app = catalog[provider];

        Assert.Empty(await TitlesAsync(app, "\"fold clothes\""));
        Assert.Empty(await TitlesAsync(app, "robots folding clothes author:turing"));
        Assert.Equal(SemanticCatalog.Papers.Length + 1, (await TitlesAsync(app, "author:lovelace")).Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_query_about_nothing_in_the_catalog_answers_nothing(DatabaseProvider provider)
    {
        Assert.Empty(await TitlesAsync(catalog[provider], "recipes for sourdough bread"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "2606.20004")]
    [InlineData(DatabaseProvider.Postgres, "2606.20004")]
    [InlineData(DatabaseProvider.Sqlite, "https://arxiv.org/abs/2606.20004v2")]
    [InlineData(DatabaseProvider.Postgres, "arXiv:2606.20004")]
    public async Task An_arxiv_id_or_link_puts_its_paper_first(DatabaseProvider provider, string q)
    {
        var titles = await TitlesAsync(catalog[provider], q);

        Assert.Equal(SemanticCatalog.Rainfall, titles.FirstOrDefault());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "10.5555/X7Q.2026.0412")]
    [InlineData(DatabaseProvider.Postgres, "10.5555/x7q.2026.0412")]
    [InlineData(DatabaseProvider.Sqlite, "https://doi.org/10.5555/x7q.2026.0412")]
    [InlineData(DatabaseProvider.Postgres, "doi:10.5555/X7Q.2026.0412")]
    public async Task A_doi_or_doi_link_puts_its_paper_first(DatabaseProvider provider, string q)
    {
        var titles = await TitlesAsync(catalog[provider], q);

        Assert.Equal(SemanticCatalog.Rainfall, titles.FirstOrDefault());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_exact_title_comes_first(DatabaseProvider provider)
    {
        var titles = await TitlesAsync(catalog[provider], SemanticCatalog.Molecules.ToUpperInvariant());

        Assert.Equal(SemanticCatalog.Molecules, titles.FirstOrDefault());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_paper_without_a_vector_is_still_found_by_its_words(DatabaseProvider provider)
    {
        var app = catalog[provider];
        var vectors = await app.WithDbAsync(db => db.PaperEmbeddings.CountAsync());
        Assert.Equal(SemanticCatalog.Papers.Length, vectors);

        Assert.Equal(SemanticCatalog.Qubits, (await TitlesAsync(app, "superconducting qubits")).FirstOrDefault());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_instances_over_one_catalog_answer_the_same_ranking(DatabaseProvider provider)
    {
        await using var other = new PaperFeedApp(catalog[provider].Database, SemanticCatalog.Fresh, ownsDatabase: false);
        const string q = "neural networks that generate images";

        var first = await TitlesAsync(catalog[provider], q);
        var second = await TitlesAsync(other, q);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Each_hit_offers_more_like_it_on_its_paper_page()
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/search?q=garment"));

        var link = Assert.Single(page.QuerySelectorAll("article a.more-like-this"));
        Assert.Equal(PaperLinks.PagePath("2606.20001") + "#related-heading", link.GetAttribute("href"));
        Assert.Equal("More like this: " + SemanticCatalog.Garments, link.GetAttribute("aria-label"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_paper_page_lists_the_nearest_papers_by_embedding(DatabaseProvider provider)
    {
        using var client = catalog[provider].CreateClient();
        var html = await client.GetStringAsync(PaperLinks.PagePath("2606.20004"));
        var page = new HtmlParser().ParseDocument(html);

        var related = page.QuerySelectorAll("[aria-labelledby=related-heading] a").Select(a => a.TextContent.Trim()).ToList();

        Assert.NotEmpty(related);
        Assert.DoesNotContain(SemanticCatalog.Rainfall, related);
        Assert.DoesNotContain(SemanticCatalog.Qubits, related);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_edited_abstract_is_embedded_again(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider, SemanticCatalog.Fresh);
        var paper = SemanticCatalog.Papers[0];
        Task IngestAsync(PaperRecord record) => app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, [record]));
        Task<int> EmbedAsync() => app.WithScopeAsync(s => s.GetRequiredService<PaperEmbedder>().EmbedMissingAsync(null, null, CancellationToken.None));
        Task<byte[][]> VectorsAsync() => app.WithDbAsync(db => db.PaperEmbeddings.Select(e => e.Vector).ToArrayAsync());
        await IngestAsync(paper);
        await EmbedAsync();
        var before = Assert.Single(await VectorsAsync());

        // Another field changes: the vector stays.
        await IngestAsync(paper with { Upvotes = 7 });
        Assert.Equal(before, Assert.Single(await VectorsAsync()));

        await IngestAsync(paper with { Abstract = "Cloth folding by two robot arms that imitate people, evaluated on towels and shirts." });
        Assert.Empty(await VectorsAsync());
        Assert.Equal(1, await EmbedAsync());

        Assert.NotEqual(before, Assert.Single(await VectorsAsync()));
    }
}
