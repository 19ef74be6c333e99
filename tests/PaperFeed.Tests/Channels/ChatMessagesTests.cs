using System.Text;
using System.Text.Json;
using PaperFeed.Channels;
using PaperFeed.Papers;

namespace PaperFeed.Tests.Channels;

/// <summary>Each chat service's webhook JSON: its shape, its size limits (papers never cut between messages), its markup escaped.</summary>
public sealed class ChatMessagesTests
{
    private const string Nasty = "<!channel> @everyone <script>alert(1)</script> *bold* | $\\alpha$ & Café";

    private static PaperCard Card(int i, string? title = null) => new(i, $"2606.{i:00000}", $"2606.{i:00000}", title ?? $"Paper number {i}",
        ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Emmy Noether", "Claude Shannon"], null, null,
        new DateTime(2026, 6, 12, 0, 0, 0, DateTimeKind.Utc), 0, null, null, null, null, null, new string('w', 400), null);

    private static ChatPost Post(int count, string? firstTitle = null) =>
        new("Topic: LLMs", "https://papers.example/topics/llm", Enumerable.Range(1, count).Select(i => Card(i, i == 1 ? firstTitle : null)).ToList(), "https://papers.example");

    private static List<JsonElement> Messages(ChatService service, ChatPost post) =>
        ChatMessages.Compose(service, post).Select(m => JsonDocument.Parse(m).RootElement).ToList();

    [Fact]
    public void Slack_posts_blocks_with_a_fallback_text_and_escapes_its_markup()
    {
        var message = Assert.Single(Messages(ChatService.Slack, Post(3, Nasty)));

        Assert.Equal("Topic: LLMs: 3 new papers", message.GetProperty("text").GetString());
        var blocks = message.GetProperty("blocks");
        Assert.Equal(4, blocks.GetArrayLength());
        Assert.All(blocks.EnumerateArray(), b => Assert.Equal("mrkdwn", b.GetProperty("text").GetProperty("type").GetString()));
        var first = blocks[1].GetProperty("text").GetProperty("text").GetString()!;
        Assert.StartsWith("*<https://papers.example/papers/2606.00001|&lt;!channel&gt; @everyone &lt;script&gt;", first);
        Assert.DoesNotContain("<!channel>", first);
        Assert.Contains("and 1 more", first);
    }

    [Fact]
    public void Slack_splits_at_50_blocks()
    {
        var messages = Messages(ChatService.Slack, Post(120));
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.InRange(m.GetProperty("blocks").GetArrayLength(), 2, ChatMessages.SlackBlocks));
        Assert.Equal(120, messages.Sum(m => m.GetProperty("blocks").GetArrayLength() - 1));
        Assert.Equal("Topic: LLMs (continued)", messages[1].GetProperty("text").GetString());
    }

    [Fact]
    public void Discord_posts_up_to_10_embeds_within_6000_characters_and_mentions_no_one()
    {
        var messages = Messages(ChatService.Discord, Post(25, Nasty));

        Assert.Equal(25, messages.Sum(m => m.GetProperty("embeds").GetArrayLength()));
        Assert.All(messages, m =>
        {
            var embeds = m.GetProperty("embeds").EnumerateArray().ToList();
            Assert.InRange(embeds.Count, 1, ChatMessages.DiscordEmbeds);
            Assert.True(embeds.Sum(e => e.GetProperty("title").GetString()!.Length + e.GetProperty("description").GetString()!.Length) <= ChatMessages.DiscordEmbedTotal);
            Assert.Equal(0, m.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
            Assert.True(m.GetProperty("content").GetString()!.Length <= ChatMessages.DiscordContent);
        });
        var first = messages[0].GetProperty("embeds")[0];
        Assert.Equal(Nasty, first.GetProperty("title").GetString());
        Assert.Equal("https://papers.example/papers/2606.00001", first.GetProperty("url").GetString());
    }

    [Fact]
    public void Teams_posts_a_message_with_one_adaptive_card_under_28_kb()
    {
        var messages = Messages(ChatService.Teams, Post(80));

        Assert.True(messages.Count > 1);
        Assert.All(ChatMessages.Compose(ChatService.Teams, Post(80)), m => Assert.True(Encoding.UTF8.GetByteCount(m) <= ChatMessages.TeamsBytes));
        var message = messages[0];
        Assert.Equal("message", message.GetProperty("type").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("TextBlock", card.GetProperty("body")[0].GetProperty("type").GetString());
    }

    [Fact]
    public void Matrix_posts_an_m_text_with_encoded_html()
    {
        var message = Assert.Single(Messages(ChatService.Matrix, Post(2, Nasty)));

        Assert.Equal("m.text", message.GetProperty("msgtype").GetString());
        Assert.Equal("org.matrix.custom.html", message.GetProperty("format").GetString());
        Assert.Contains(Nasty, message.GetProperty("body").GetString());
        var html = message.GetProperty("formatted_body").GetString()!;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("<a href=\"https://papers.example/papers/2606.00002\">Paper number 2</a>", html);
    }

    [Theory]
    [InlineData(ChatService.Slack)]
    [InlineData(ChatService.Discord)]
    [InlineData(ChatService.Teams)]
    [InlineData(ChatService.Matrix)]
    public void No_papers_no_message(ChatService service) => Assert.Empty(ChatMessages.Compose(service, Post(0)));
}
