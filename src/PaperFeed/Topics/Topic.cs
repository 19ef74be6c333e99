using PaperFeed.Papers;

namespace PaperFeed.Topics;

public enum TopicKind
{
    /// <summary>An arXiv category (cs.AI, stat.ML…): a paper has it when arXiv lists the category.</summary>
    Category,
    /// <summary>A curated topic defined by phrases matched in title, abstract and AI keywords.</summary>
    Curated,
}

/// <summary>A subject a reader can follow: a feed at /topics/{slug}, a filter on every list.</summary>
public sealed class Topic
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public TopicKind Kind { get; set; }
    /// <summary>For categories, the arXiv code (cs.AI); for curated topics, the phrases that tag a paper.</summary>
    public List<string> Phrases { get; set; } = [];
    public string? Description { get; set; }
    public int SortOrder { get; set; }
}

/// <summary>A paper is about a topic (set by the tagger at ingest and by the retag job).</summary>
public sealed class PaperTopic
{
    public long PaperId { get; set; }
    public Paper Paper { get; set; } = null!;
    public int TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
}
