using PaperFeed.Papers;

namespace PaperFeed.Topics;

public static class TopicQueries
{
    public static IQueryable<Paper> WithTopic(this IQueryable<Paper> papers, string slug) =>
        papers.Where(p => p.Topics.Any(t => t.Topic.Slug == slug));
}
