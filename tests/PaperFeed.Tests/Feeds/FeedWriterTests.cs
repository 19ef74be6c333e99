using System.Text.Json;
using System.Xml.Linq;
using PaperFeed.Feeds;
using PaperFeed.Papers;

namespace PaperFeed.Tests.Feeds;

/// <summary>A paper's discussion count in each feed, where its spec puts it: RSS Slash module and comments, Atom threading (RFC 4685), a JSON Feed extension.</summary>
public sealed class FeedWriterTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Thr = "http://purl.org/syndication/thread/1.0";
    private static readonly XNamespace Slash = "http://purl.org/rss/1.0/modules/slash/";

    private static PaperCard Card(string key, int comments) =>
        new(1, key, key, "Paper " + key, ["Ada Lovelace"], null, null, new DateTime(2026, 6, 12, 0, 0, 0, DateTimeKind.Utc),
            0, 99, null, null, null, null, "An abstract.", null) { CommentCount = comments };

    private static FeedContent Feed() => new("New papers", "https://papers.example/", "https://papers.example/?format=atom",
        new DateTime(2026, 6, 12, 8, 0, 0, DateTimeKind.Utc), [Card("2606.01001", 3), Card("2606.01002", 0)], "https://papers.example");

    [Fact]
    public void Atom_entries_carry_a_replies_link_to_the_discussion_with_thr_total()
    {
        var feed = XDocument.Parse(FeedWriter.Write(FeedFormat.Atom, Feed())).Root!;

        var replies = feed.Elements(Atom + "entry").Select(e => e.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") == "replies")).ToList();
        Assert.Equal(["https://papers.example/papers/2606.01001#discussion", "https://papers.example/papers/2606.01002#discussion"],
            replies.Select(l => (string)l.Attribute("href")!));
        Assert.Equal(["3", "0"], replies.Select(l => (string)l.Attribute(Thr + "total")!));
        Assert.All(replies, l => Assert.Equal("text/html", (string?)l.Attribute("type")));
    }

    [Fact]
    public void Rss_items_carry_slash_comments_and_a_comments_link()
    {
        var channel = XDocument.Parse(FeedWriter.Write(FeedFormat.Rss, Feed())).Root!.Element("channel")!;

        var items = channel.Elements("item").ToList();
        Assert.Equal(["3", "0"], items.Select(i => i.Element(Slash + "comments")!.Value));
        Assert.Equal("https://papers.example/papers/2606.01001#discussion", items[0].Element("comments")!.Value);
    }

    [Fact]
    public void Json_feed_items_carry_the_count_in_an_underscore_extension()
    {
        using var json = JsonDocument.Parse(FeedWriter.Write(FeedFormat.Json, Feed()));

        var items = json.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([3, 0], items.Select(i => i.GetProperty("_paperfeed").GetProperty("comment_count").GetInt32()));
        Assert.Equal("https://papers.example/papers/2606.01001#discussion", items[0].GetProperty("_paperfeed").GetProperty("discussion_url").GetString());
    }
}
