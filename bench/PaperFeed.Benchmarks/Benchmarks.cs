using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PaperFeed.Digests;
using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;
using PaperFeed.Sources.HuggingFace;
using PaperFeed.Topics;

namespace PaperFeed.Benchmarks;

/// <summary>HF's daily_papers JSON: a generated day, and the recorded one when it is there.</summary>
public class HfJsonBenchmarks
{
    /// <summary>Where recorded responses may be found; only read, and only when present.</summary>
    private static readonly string SamplesDir = Environment.GetEnvironmentVariable("PAPERFEED_SAMPLES") ?? "/work/shared/samples";
    private const string HfSample = "hf_api_daily_papers_limit30_2026-06-13.json";

    private string _hfJson = "";

    /// <summary>"generated" (50 papers) always; "sample" (a recorded 30-paper day) when the recording is there.</summary>
    public static IEnumerable<string> HfJsonInputs() =>
        File.Exists(Path.Combine(SamplesDir, HfSample)) ? ["generated", "sample"] : ["generated"];

    [ParamsSource(nameof(HfJsonInputs))]
    public string HfInput { get; set; } = "generated";

    [GlobalSetup]
    public void Setup()
    {
        _hfJson = HfInput == "sample" ? File.ReadAllText(Path.Combine(SamplesDir, HfSample)) : Inputs.HfDailyJson(50);
        Check(HfDailyPapersJsonParser.Parse(_hfJson), HfInput == "sample" ? 30 : 50);
    }

    [Benchmark(Description = "HF day, JSON API")]
    public ParseResult HfJson() => HfDailyPapersJsonParser.Parse(_hfJson);

    internal static void Check(ParseResult result, int expected)
    {
        if (result.Papers.Count != expected) throw new InvalidOperationException($"parsed {result.Papers.Count} papers, expected {expected}");
    }
}

/// <summary>The parsers on one page each, as a fetch hands it to them (a string).</summary>
public class ParseBenchmarks
{
    private string _hfPage = "", _listing = "", _atom = "";

    [GlobalSetup]
    public void Setup()
    {
        _hfPage = Inputs.HfPapersPage(50);
        _listing = Inputs.ArxivListingNew(500);
        _atom = Inputs.ArxivAtom(2000);
        // A benchmark of a parser that fails, or reads the wrong number, measures nothing.
        Check(HfPapersPageParser.Parse(_hfPage), 50);
        Check(ArxivListingParser.Parse(_listing), 500);
        Check(ArxivAtomParser.Parse(_atom), 2000);
    }

    private static void Check(ParseResult result, int expected) => HfJsonBenchmarks.Check(result, expected);

    [Benchmark(Description = "HF day, HTML page (50)")]
    public ParseResult HfHtml() => HfPapersPageParser.Parse(_hfPage);

    [Benchmark(Description = "arXiv /new listing (500)")]
    public ParseResult ArxivListing() => ArxivListingParser.Parse(_listing);

    [Benchmark(Description = "arXiv Atom API page (2,000)")]
    public ParseResult ArxivAtom() => ArxivAtomParser.Parse(_atom);

    // The floors: the same pages through the HTML and XML parsers alone, so the table shows what our code adds.
    [Benchmark(Description = "floor: AngleSharp ParseDocument of the listing")]
    public object ListingDomOnly() => new AngleSharp.Html.Parser.HtmlParser().ParseDocument(_listing);

    [Benchmark(Description = "floor: XDocument.Parse of the Atom page")]
    public object AtomDomOnly() => System.Xml.Linq.XDocument.Parse(_atom);
}

/// <summary>Tagging one paper with the default topics: the curated topics of appsettings.json plus every arXiv category.</summary>
public class TaggerBenchmarks
{
    private TopicTagger _tagger = null!;
    private Inputs.Paper _paper = null!;
    private string[] _keywords = [];

    [GlobalSetup]
    public void Setup()
    {
        _tagger = TopicTagger.Build(DefaultTopics());
        _paper = Inputs.Papers(1, seed: 7)[0];
        _keywords = _paper.Title.Split(' ').Take(5).ToArray();
        if (_tagger.Tag(_paper.Title, _paper.Abstract, _keywords, _paper.Categories).Count == 0)
            throw new InvalidOperationException("the benchmark paper matches no topic");
    }

    public static List<TopicDefinition> DefaultTopics()
    {
        using var stream = typeof(TaggerBenchmarks).Assembly.GetManifestResourceStream("appsettings.json")!;
        using var settings = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var id = 0;
        var topics = settings.RootElement.GetProperty("Topics").GetProperty("Curated").EnumerateArray()
            .Select(t => new TopicDefinition(++id, TopicKind.Curated, t.GetProperty("Phrases").EnumerateArray().Select(p => p.GetString()!).ToList()))
            .ToList();
        topics.AddRange(ArxivCategories.All.Select(c => new TopicDefinition(++id, TopicKind.Category, [c.Code])));
        return topics;
    }

    [Benchmark(Description = "tag one paper, default topics")]
    public HashSet<int> Tag() => _tagger.Tag(_paper.Title, _paper.Abstract, _keywords, _paper.Categories);
}

/// <summary>One daily digest of 10 papers, HTML (the Razor component through HtmlRenderer) and plain text.</summary>
public class DigestBenchmarks
{
    private ServiceProvider _services = null!;
    private HtmlRenderer _renderer = null!;
    private DigestComposer _composer = null!;
    private List<DigestItem> _items = [];
    private readonly Subscription _subscription = new() { Id = 1, Email = "reader@example.org", Topics = ["large-language-models", "reasoning"] };
    private static readonly DigestPeriod Day = new("2026-09-14", new DateOnly(2026, 9, 14), new DateOnly(2026, 9, 14));
    private static readonly DigestEmailLinks Links = new("https://papers.example.org",
        "https://papers.example.org/digest/preferences?token=p1", "https://papers.example.org/digest/unsubscribe?token=u1");

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().BuildServiceProvider();
        _renderer = new HtmlRenderer(_services, NullLoggerFactory.Instance);
        _composer = new DigestComposer(_renderer);
        _items = Inputs.Papers(10).Select((p, i) => new DigestItem(i + 1, p.Title, p.Authors, p.Abstract[..Math.Min(300, p.Abstract.Length)], p.Upvotes % 20,
            p.Upvotes, $"https://papers.example.org/papers/{p.Id}", $"https://arxiv.org/abs/{p.Id}", $"https://arxiv.org/pdf/{p.Id}",
            $"https://github.com/example/{p.Id}")).ToList();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _renderer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _services.Dispose();
    }

    [Benchmark(Description = "compose one digest (10 papers)")]
    public Task<DigestContent> Compose() => _composer.ComposeAsync(_subscription, Day, _items, Links);
}
