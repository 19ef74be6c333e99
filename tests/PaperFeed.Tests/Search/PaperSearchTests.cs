using PaperFeed.Search;

namespace PaperFeed.Tests.Search;

public sealed class PaperSearchTests
{
    [Fact]
    public void The_fts5_expression_quotes_every_part()
    {
        var query = SearchQuery.Parse("diffusion \"score model\" author:\"Yann LeCun\" NEAR(a*)")!;
        Assert.Equal("\"diffusion\" AND \"near\" AND \"a\" AND \"score model\" AND authors : \"yann lecun\"", SqliteSearch.ToFts5Match(query));
    }

    [Fact]
    public void A_quote_inside_a_part_is_doubled()
    {
        Assert.Equal("\"a\"\"b\"", SqliteSearch.ToFts5Match(new SearchQuery(["a\"b"], [], [])));
    }
}
