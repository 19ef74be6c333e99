using PaperFeed.Search;

namespace PaperFeed.Tests.Search;

public sealed class SpellingTests
{
    [Theory]
    [InlineData("protein", "protein", 0)]
    [InlineData("protien", "protein", 1)] // two neighbours swapped: one edit
    [InlineData("difusion", "diffusion", 1)]
    [InlineData("modles", "models", 1)]
    [InlineData("transfomer", "transformers", 2)]
    [InlineData("graph", "grape", 1)]
    public void Distance_counts_inserts_deletes_substitutions_and_swaps(string a, string b, int expected) =>
        Assert.Equal(expected, Spelling.Distance(a, b, 3));

    [Fact]
    public void Distance_stops_past_the_bound()
    {
        Assert.Equal(2, Spelling.Distance("attention", "diffusion", 1));
        Assert.Equal(2, Spelling.Distance("abc", "abcdefgh", 1));
    }
}
