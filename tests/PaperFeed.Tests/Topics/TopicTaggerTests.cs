using PaperFeed.Topics;

namespace PaperFeed.Tests.Topics;

public class TopicTaggerTests
{
    private const int Rl = 1, Rag = 2, Llm = 3, Vision = 4, Policy = 5, FineTuning = 6, Multimodal = 7, CsAi = 10, StatMl = 11;

    private static readonly TopicTagger Tagger = TopicTagger.Build(
    [
        new(Rl, TopicKind.Curated, ["reinforcement learning", "RLHF", "policy gradient", "GRPO", "PPO", "reward model"]),
        new(Rag, TopicKind.Curated, ["retrieval-augmented generation", "RAG"]),
        new(Llm, TopicKind.Curated, ["large language model", "LLM", "language model"]),
        new(Vision, TopicKind.Curated, ["vision transformer", "ViT", "SAM", "process"]),
        new(Policy, TopicKind.Curated, ["policy", "strategy"]),
        new(FineTuning, TopicKind.Curated, ["fine-tuning"]),
        new(Multimodal, TopicKind.Curated, ["multi-modal", "  ", ""]),
        new(CsAi, TopicKind.Category, ["cs.AI"]),
        new(StatMl, TopicKind.Category, ["stat.ML"]),
    ]);

    private static HashSet<int> Title(string title) => Tagger.Tag(title, null, null, null);

    [Theory]
    [InlineData("Reinforcement Learning from scratch")]
    [InlineData("REINFORCEMENT LEARNING at scale")]
    [InlineData("Scaling reward models")]
    [InlineData("Two Reward Models disagree")]
    [InlineData("RLHF, revisited")]
    [InlineData("GRPO-style training")]
    [InlineData("(PPO) baselines")]
    public void Matches_phrases_whatever_the_case_and_number(string title) => Assert.Contains(Rl, Title(title));

    [Theory]
    [InlineData("LLMs as judges", Llm)]
    [InlineData("An LLM's view", Llm)]
    [InlineData("LLM-based agents", Llm)]
    [InlineData("Small language models", Llm)]
    [InlineData("ViTs need registers", Vision)]
    [InlineData("Better processes", Vision)]
    [InlineData("Learned policies", Policy)]
    [InlineData("Two strategies", Policy)]
    public void Matches_plurals_of_the_last_word(string title, int topic) => Assert.Contains(topic, Title(title));

    [Theory]
    [InlineData("A study of opposed views")]          // PPO inside a word
    [InlineData("Fragmented memory")]                  // RAG inside a word
    [InlineData("A rag doll simulation")]              // RAG is an abbreviation: its case matters
    [InlineData("Sam and the vitamin study")]          // SAM, ViT
    [InlineData("Shallmodels and allms")]              // LLM inside words
    [InlineData("Preprocessing pipelines")]            // process inside a word
    [InlineData("Reinforcement schedules for learning")] // the words of a phrase must be adjacent
    public void Never_matches_inside_words_or_lowercased_abbreviations(string title) => Assert.Empty(Title(title));

    [Theory]
    [InlineData("Parameter-efficient fine-tuning")]
    [InlineData("Fine tuning made easy")]
    [InlineData("Finetuning made easy")]
    [InlineData("Fine\u2010tuning with a Unicode hyphen")]
    public void Treats_hyphens_spaces_and_no_separator_alike(string title) => Assert.Contains(FineTuning, Title(title));

    [Theory]
    [InlineData("Multimodal pretraining")]
    [InlineData("Multi-modal pretraining")]
    [InlineData("Multi modal pretraining")]
    public void A_hyphenated_phrase_also_matches_the_closed_compound(string title) => Assert.Contains(Multimodal, Title(title));

    [Fact]
    public void Overlapping_phrases_of_different_topics_tag_every_topic()
    {
        // One alternation over all phrases would report "large language model" and lose the other two.
        var tagger = TopicTagger.Build(
        [
            new(1, TopicKind.Curated, ["large language model"]),
            new(2, TopicKind.Curated, ["language model"]),
            new(3, TopicKind.Curated, ["model merging"]),
        ]);
        Assert.Equal(new HashSet<int> { 1, 2, 3 }, tagger.Tag("Large language model merging", null, null, null));
    }

    [Fact]
    public void Reads_the_abstract_and_the_ai_keywords_too()
    {
        Assert.Contains(Rag, Tagger.Tag("A title", "We study RAG pipelines.", null, null));
        Assert.Contains(Rl, Tagger.Tag("A title", null, ["policy gradient"], null));
    }

    [Fact]
    public void A_phrase_never_spans_two_fields()
    {
        Assert.DoesNotContain(Rl, Tagger.Tag("Notes on reinforcement", "learning is everywhere", null, null));
        Assert.DoesNotContain(Rl, Tagger.Tag("A title", null, ["reinforcement", "learning"], null));
    }

    [Fact]
    public void Categories_match_arxiv_codes_exactly()
    {
        Assert.Equal(new HashSet<int> { CsAi, StatMl }, Tagger.Tag("A title", null, null, ["cs.AI", "stat.ML", "cs.CL"]));
        Assert.Empty(Tagger.Tag("cs.AI in the title", "and stat.ML in the abstract", null, ["cs.AIX", "math.ST"]));
    }

    [Fact]
    public void Curated_phrases_never_match_categories_and_topics_without_phrases_never_match()
    {
        Assert.Empty(Tagger.Tag("", "", [], ["RLHF"]));
        Assert.Null(TopicTagger.TopicPattern(["", "   ", "-"]));
        Assert.Empty(TopicTagger.Build([new(1, TopicKind.Curated, [])]).Tag("anything", "at all", null, null));
    }

    [Theory]
    [InlineData("C++", "Fast C++ kernels", true)]
    [InlineData("C++", "Fast C kernels", false)]
    [InlineData("GPT-4", "Evaluating GPT-4 and GPT4", true)]
    [InlineData("a.b(c)", "regex characters a.b(c) are literal", true)]
    [InlineData("a.b(c)", "regex characters axb(c) are literal", false)]
    [InlineData("Stable Diffusion", "fine-tuning stable diffusion", true)] // capitals in separate words: no abbreviation
    [InlineData("SWE-bench", "results on swe-bench", false)]
    public void Phrases_are_literal_text(string phrase, string title, bool matches)
    {
        var tagger = TopicTagger.Build([new(1, TopicKind.Curated, [phrase])]);
        Assert.Equal(matches, tagger.Tag(title, null, null, null).Contains(1));
    }
}
