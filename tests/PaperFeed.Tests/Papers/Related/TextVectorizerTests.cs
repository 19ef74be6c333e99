using PaperFeed.Papers.Related;

namespace PaperFeed.Tests.Papers.Related;

public sealed class TextVectorizerTests
{
    [Fact]
    public void Tokenize_lower_cases_drops_stop_words_numbers_and_single_letters()
    {
        Assert.Equal(["large", "language", "model", "reason", "gpt", "4o"],
            TextVectorizer.Tokenize("The Large Language Models that reason: a GPT-4o study in 2024 of x").Where(t => t != "study"));
    }

    [Theory]
    [InlineData("models", "model")]
    [InlineData("studies", "study")]
    [InlineData("approaches", "approach")]
    [InlineData("processes", "process")]
    [InlineData("features", "feature")]
    [InlineData("analysis", "analysis")]
    [InlineData("corpus", "corpus")]
    [InlineData("loss", "loss")]
    [InlineData("llms", "llm")]
    [InlineData("gas", "gas")]
    public void Stem_folds_plurals_only(string word, string stem) => Assert.Equal(stem, TextVectorizer.Stem(word));

    [Fact]
    public void Title_terms_count_twice()
    {
        var counts = TextVectorizer.TermCounts("Diffusion", "diffusion samplers");
        Assert.Equal(3, counts[TextVectorizer.TermId("diffusion")]);
        Assert.Equal(1, counts[TextVectorizer.TermId("sampler")]);
        Assert.Equal(2, counts.Count);
    }

    [Fact]
    public void Term_ids_are_stable_and_in_range()
    {
        Assert.Equal(TextVectorizer.TermId("transformer"), TextVectorizer.TermId("transformer"));
        Assert.InRange(TextVectorizer.TermId("transformer"), 0, TextVectorizer.TermSpace - 1);
        Assert.NotEqual(TextVectorizer.TermId("transformer"), TextVectorizer.TermId("transformers"));
    }
}
