using PaperFeed.Search;

namespace PaperFeed.Tests.Search;

public sealed class SearchQueryTests
{
    private static SearchQuery Parse(string text) => SearchQuery.Parse(text) ?? throw new InvalidOperationException("no query");

    [Fact]
    public void Words_are_lower_cased_terms()
    {
        var query = Parse("  Diffusion   MODELS ");
        Assert.Equal(["diffusion", "models"], query.Terms);
        Assert.Empty(query.Phrases);
        Assert.Empty(query.Authors);
    }

    [Fact]
    public void Quotes_make_a_phrase_and_a_quoted_single_word_is_a_term()
    {
        var query = Parse("\"Diffusion Model\" sampling \"fast\"");
        Assert.Equal(["diffusion model"], query.Phrases);
        Assert.Equal(["sampling", "fast"], query.Terms);
    }

    [Fact]
    public void An_unbalanced_quote_runs_to_the_end()
    {
        var query = Parse("graph \"neural network");
        Assert.Equal(["graph"], query.Terms);
        Assert.Equal(["neural network"], query.Phrases);
        Assert.Equal(["x"], Parse("x \"").Terms);
    }

    [Fact]
    public void Hyphenated_words_stay_together_as_a_phrase()
    {
        Assert.Equal(["self attention", "gpt 3 5"], Parse("self-attention GPT-3.5").Phrases);
    }

    [Fact]
    public void Author_filters_take_a_word_or_a_quoted_name()
    {
        var query = Parse("author:Hinton AUTHOR:\"Yann LeCun\" capsules");
        Assert.Equal(["hinton", "yann lecun"], query.Authors);
        Assert.Equal(["capsules"], query.Terms);
        Assert.Equal(["hinton", "yann", "lecun", "capsules"], query.AuthorWords);
    }

    [Fact]
    public void A_bare_author_prefix_is_just_text()
    {
        Assert.Equal(["author"], Parse("author:").Terms);
        Assert.Null(SearchQuery.Parse("author:\"\""));
    }

    [Theory]
    [InlineData("a AND b OR NOT c", new[] { "a", "and", "b", "or", "not", "c" })]
    [InlineData("-diffusion +model", new[] { "diffusion", "model" })]
    [InlineData("a* ^b (c) d:e", new[] { "a", "b", "c", "d", "e" })]
    [InlineData("NEAR(a b)", new[] { "near", "a", "b" })]
    [InlineData("{title}: x", new[] { "title", "x" })]
    [InlineData("a <-> b & c | !d", new[] { "a", "b", "c", "d" })]
    public void Operators_are_text_never_syntax(string text, string[] terms)
    {
        var query = Parse(text);
        Assert.Equal(terms, query.Terms);
        Assert.Empty(query.Phrases);
    }

    [Fact]
    public void Sql_metacharacters_disappear()
    {
        var query = Parse("' OR 1=1 --; DROP TABLE \"Papers\"; /* x */ %_\\");
        Assert.All(query.Terms.Concat(query.Phrases), part => Assert.Matches("^[a-z0-9 ]+$", part));
        Assert.Contains("papers", query.Phrases.Concat(query.Terms));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"\" '' -- ** ^^ ()")]
    [InlineData("😀🚀")]
    [InlineData("\0\0")]
    [InlineData(null)]
    public void Nothing_to_search_for_is_no_query(string? text)
    {
        Assert.Null(SearchQuery.Parse(text));
    }

    [Fact]
    public void Long_input_is_cut_and_parts_are_bounded()
    {
        var one = Parse(new string('a', 10_000));
        Assert.Equal(new string('a', SearchQuery.MaxWordLength), Assert.Single(one.Terms));

        var many = Parse(string.Join(' ', Enumerable.Range(0, 5000).Select(i => "w" + i)));
        Assert.Equal(SearchQuery.MaxParts, many.Terms.Count);

        var quotes = Parse(string.Concat(Enumerable.Repeat("\"a b\" author:x ", 2000)));
        Assert.True(quotes.Terms.Count + quotes.Phrases.Count + quotes.Authors.Count <= SearchQuery.MaxParts);
    }

    [Fact]
    public void Unicode_words_are_kept_and_emoji_and_lone_surrogates_dropped()
    {
        var query = Parse("Ünïcödé 扩散模型 🚀 naïve \ud800 café");
        Assert.Equal(["ünïcödé", "扩散模型", "naïve", "café"], query.Terms);
    }

    [Fact]
    public void Repeated_parts_count_once()
    {
        Assert.Equal(["x"], Parse("x X x \"x\"").Terms);
    }
}
