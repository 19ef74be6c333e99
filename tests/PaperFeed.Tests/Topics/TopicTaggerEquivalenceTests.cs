using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using PaperFeed.Synthetic;
using PaperFeed.Topics;

namespace PaperFeed.Tests.Topics;

/// <summary>
/// The tagger's prefilter and non-backtracking regexes are an optimisation: they must give exactly the topics the
/// original design gave (one backtracking regex per topic with look-arounds, run on every paper).
/// </summary>
public class TopicTaggerEquivalenceTests
{
    private static List<TopicDefinition> ShippedTopics()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false).Build();
        var id = 0;
        var topics = configuration.GetSection(TopicsOptions.Section).Get<TopicsOptions>()!.Curated
            .Select(t => new TopicDefinition(++id, TopicKind.Curated, t.Phrases)).ToList();
        topics.AddRange(ArxivCategories.All.Select(c => new TopicDefinition(++id, TopicKind.Category, [c.Code])));
        return topics;
    }

    /// <summary>The tagger as it was: every topic's regex, with look-behind and look-ahead, on every text.</summary>
    private static Func<string?, string?, IEnumerable<string>?, HashSet<int>> Reference(IEnumerable<TopicDefinition> topics)
    {
        var curated = topics.Where(t => t.Kind == TopicKind.Curated)
            .Select(t => (t.Id, Alternatives: t.Phrases.Select(TopicTagger.PhrasePattern).OfType<string>().Distinct().ToList()))
            .Where(t => t.Alternatives.Count > 0)
            .Select(t => (t.Id, Pattern: new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', t.Alternatives)})(?![\p{{L}}\p{{N}}])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)))
            .ToList();
        return (title, summary, keywords) =>
        {
            var text = new StringBuilder().Append(title).Append(" | ").Append(summary);
            foreach (var keyword in keywords ?? []) text.Append(" | ").Append(keyword);
            var input = text.ToString();
            return curated.Where(c => c.Pattern.IsMatch(input)).Select(c => c.Id).ToHashSet();
        };
    }

    // Built once for the edge cases: compiling every topic's regexes takes seconds, the cases a millisecond each.
    private static readonly Lazy<(TopicTagger Tagger, Func<string?, string?, IEnumerable<string>?, HashSet<int>> Reference)> Shipped = new(() =>
    {
        var topics = ShippedTopics();
        return (TopicTagger.Build(topics), Reference(topics));
    });

    [Fact]
    public void Gives_the_topics_of_the_original_tagger_on_synthetic_papers()
    {
        var topics = ShippedTopics();
        var tagger = TopicTagger.Build(topics);
        var reference = Reference(topics);
        var catalog = new SyntheticCatalog(new SyntheticOptions(1_000, 10, 7, new DateOnly(2026, 11, 25)));
        var sources = new SyntheticSources(1, new Dictionary<string, int> { ["cs.AI"] = 2 });

        var tagged = 0;
        for (var i = 0; i < catalog.Count; i++)
        {
            var paper = catalog.Generate(i, sources).Paper;
            var expected = reference(paper.Title, paper.Abstract, paper.AiKeywords);
            var actual = tagger.Tag(paper.Title, paper.Abstract, paper.AiKeywords, null);
            Assert.True(expected.SetEquals(actual), $"paper {i}: expected [{string.Join(',', expected.Order())}], got [{string.Join(',', actual.Order())}]");
            if (actual.Count > 0) tagged++;
        }
        Assert.InRange(tagged, catalog.Count / 2, catalog.Count); // the papers do mention topics
    }

    [Theory]
    [InlineData("Large Language Models and LLMs", "")]
    [InlineData("large-language-models", "a policy; two policies; strategy")]
    [InlineData("LLM", "")]
    [InlineData("", "LLM")]
    [InlineData("xLLM yLLMs LLMx", "llm")]
    [InlineData("Re\u212Anforcement learning", "")]          // a Kelvin sign, which the regex folds onto k
    [InlineData("\u212Anowledge distillation", "")]
    [InlineData("ſelf-supervised learning", "")]             // a long s, which the regex folds onto s
    [InlineData("Chain\u2010of\u2010thought reasoning", "")]
    [InlineData("Diffusion\u00A0models", "text-to-image")]
    [InlineData("retrieval augmented generation | RAG", "")]
    [InlineData("Fine-tuning | finetuning | fine tuning", "")]
    [InlineData("GPT-4o and GPT4", "")]
    [InlineData("The end is a word: reasoning", "reasoning.")]
    public void Gives_the_topics_of_the_original_tagger_on_edge_cases(string title, string summary)
    {
        var (tagger, reference) = Shipped.Value;
        var expected = reference(title, summary, ["graph neural network"]);
        Assert.Equal(expected.Order(), tagger.Tag(title, summary, ["graph neural network"], null).Order());
    }

    [Fact]
    public void Gives_the_same_topics_from_many_threads_at_once()
    {
        // Ingest tags new papers on every core with one tagger. 4,000 papers on 4 threads interleave plenty (20,000 took 30 s of CI).
        var tagger = TopicTagger.Build(ShippedTopics());
        var catalog = new SyntheticCatalog(new SyntheticOptions(4_000, 30, 11, new DateOnly(2026, 11, 25)));
        var sources = new SyntheticSources(1, new Dictionary<string, int> { ["cs.AI"] = 2 });
        var papers = Enumerable.Range(0, catalog.Count).Select(i => catalog.Generate(i, sources).Paper).ToList();
        var alone = papers.Select(p => string.Join(',', tagger.Tag(p.Title, p.Abstract, p.AiKeywords, p.Categories).Order())).ToList();
        var together = papers.AsParallel().AsOrdered().WithDegreeOfParallelism(4)
            .Select(p => string.Join(',', tagger.Tag(p.Title, p.Abstract, p.AiKeywords, p.Categories).Order())).ToList();
        Assert.Equal(alone, together);
    }
}
