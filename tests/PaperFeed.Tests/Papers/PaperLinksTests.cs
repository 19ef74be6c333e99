using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

/// <summary>A paper known only by its title is addressed by its title's words, and the address leads back to its key.</summary>
public sealed class PaperLinksTests
{
    [Fact]
    public void A_title_keyed_paper_has_a_readable_address_that_leads_back_to_its_key()
    {
        const string title = "Bold but Cautious: Unlocking the Potential of Personalized Federated Learning";
        var key = PaperIngestor.KeyFor(null, TextNormalizer.TitleKey(title));

        var path = PaperLinks.PagePath(key, title);

        Assert.Equal("/papers/bold-but-cautious-unlocking-the-potential-of-personalized-federated-learning", path);
        Assert.Equal(key, PaperLinks.KeyFromSlug(path["/papers/".Length..]));
    }

    [Fact]
    public void Accents_are_folded_and_other_letters_are_escaped()
    {
        const string title = "Étude des modèles 大型 language";
        var key = PaperIngestor.KeyFor(null, TextNormalizer.TitleKey(title));

        var path = PaperLinks.PagePath(key, title);

        Assert.Equal("/papers/etude-des-modeles-" + Uri.EscapeDataString("大型") + "-language", path);
        Assert.Equal(key, PaperLinks.KeyFromSlug(Uri.UnescapeDataString(path["/papers/".Length..])));
    }

    [Theory]
    [InlineData("2606.01001", "Any Title Here")] // an arXiv paper keeps its id
    [InlineData("doi:10.1000/xyz", "Any Title Here")] // a DOI-keyed paper keeps its key
    public void Other_papers_keep_their_key_in_the_address(string key, string title) =>
        Assert.Equal("/papers/" + key, PaperLinks.PagePath(key, title));

    [Fact]
    public void A_one_word_title_keeps_its_key_so_it_never_meets_a_fixed_route()
    {
        var key = PaperIngestor.KeyFor(null, "trending");
        Assert.Equal("/papers/" + key, PaperLinks.PagePath(key, "Trending"));
    }

    [Theory]
    [InlineData("2606.01001")]
    [InlineData("title:0123456789abcdef")]
    [InlineData("hep-th/9901001")]
    [InlineData("Not-A-Slug")] // upper case: not a title key
    [InlineData("trending")]
    public void Route_ids_that_are_not_slugs_are_read_as_they_are(string routeId) =>
        Assert.Null(PaperLinks.KeyFromSlug(routeId));
}
