using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using PaperFeed.Topics;

namespace PaperFeed.Tests.Topics;

public class TopicsOptionsTests
{
    private static TopicSeed Seed(string slug, params string[] phrases) => new() { Slug = slug, Name = slug, Phrases = [.. phrases] };

    [Fact]
    public void The_shipped_defaults_are_valid_and_cover_about_twenty_topics()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false).Build();
        var options = configuration.GetSection(TopicsOptions.Section).Get<TopicsOptions>()!;
        Assert.Empty(options.Problems());
        Assert.InRange(options.Curated.Count, 18, 30);
        Assert.Contains(options.Curated, t => t.Slug == "reinforcement-learning" && t.Phrases.Contains("RLHF"));
        Assert.All(options.Curated, t => Assert.NotNull(TopicTagger.TopicPattern(t.Phrases)));
    }

    [Theory]
    [InlineData("Bad Slug")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("cs-ai")] // an arXiv category's slug
    [InlineData("edit")]  // the admin page's path
    public void Refuses_slugs_that_cannot_be_a_topic_address(string slug)
    {
        var options = new TopicsOptions { Curated = [Seed(slug, "phrase")] };
        Assert.NotEmpty(options.Problems());
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    [Fact]
    public void Refuses_duplicate_slugs_and_topics_without_phrases()
    {
        Assert.Single(new TopicsOptions { Curated = [Seed("rl", "a"), Seed("rl", "b")] }.Problems());
        Assert.Single(new TopicsOptions { Curated = [Seed("rl", " ")] }.Problems());
    }

    [Fact]
    public void Category_slugs_are_unique_url_segments()
    {
        Assert.Equal(ArxivCategories.All.Count, ArxivCategories.All.Select(c => c.Slug).Distinct().Count());
        Assert.All(ArxivCategories.All, c => Assert.True(TopicSlug.IsValid(c.Slug), c.Slug));
        Assert.Equal("q-bio-nc", ArxivCategories.All.Single(c => c.Code == "q-bio.NC").Slug);
    }
}
