using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Channels;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;

namespace PaperFeed.IntegrationTests.Channels;

/// <summary>
/// The sender against loopback stand-ins that accept only their service's shape (as the real ones answer 400 to
/// anything else); the database plays no part, so this runs once, on SQLite.
/// </summary>
public sealed class ChatSenderTests
{
    private static readonly ChatPost Post = new("Daily papers", "http://localhost/papers/date/2026-06-12",
        [new PaperCard(1, "2606.01001", "2606.01001", "Sparse $\\alpha$ Experts", ["Ada Lovelace"], null, null, null, 0, null, null, null, null, null, "An abstract.", null)],
        "http://localhost");

    [Fact]
    public async Task Each_service_accepts_its_own_format_and_a_refusal_is_reported_without_the_address()
    {
        await using var server = await LoopbackServer.StartAsync();
        var bodies = new ConcurrentDictionary<string, JsonElement>();
        var matrixAuth = new ConcurrentBag<string>();
        RequestDelegate Accepting(string name, string method, Func<JsonElement, bool> valid) => async context =>
        {
            var json = await JsonDocument.ParseAsync(context.Request.Body);
            var ok = context.Request.Method == method && context.Request.ContentType!.StartsWith("application/json", StringComparison.Ordinal) && valid(json.RootElement);
            if (ok) bodies[name] = json.RootElement.Clone();
            if (name == "matrix") matrixAuth.Add(context.Request.Headers.Authorization.ToString());
            context.Response.StatusCode = ok ? 200 : 400;
        };
        server.Map("/slack/T000/B000/secret", Accepting("slack", "POST", j => j.GetProperty("blocks").GetArrayLength() == 2 && j.GetProperty("text").GetString()!.Length > 0));
        server.Map("/discord/api/webhooks/1/secret", Accepting("discord", "POST", j => j.GetProperty("embeds")[0].GetProperty("url").GetString() == "http://localhost/papers/2606.01001"));
        server.Map("/teams/workflows/secret", Accepting("teams", "POST", j => j.GetProperty("type").GetString() == "message"
            && j.GetProperty("attachments")[0].GetProperty("content").GetProperty("type").GetString() == "AdaptiveCard"));
        server.Map("/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/digest-7-0",
            Accepting("matrix", "PUT", j => j.GetProperty("msgtype").GetString() == "m.text" && j.GetProperty("formatted_body").GetString()!.Contains("<a href=", StringComparison.Ordinal)));
        server.MapStatus("/slack/broken/secret", 404);

        await using var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Sources:AllowPrivateAddresses"] = "true" });
        var results = await app.WithScopeAsync(async services =>
        {
            var sender = services.GetRequiredService<ChatSender>();
            async Task<ChatSendResult> Send(ChatTarget target) => await sender.SendAsync(target, ChatMessages.Compose(target.Service, Post), "digest-7", default);
            return new[]
            {
                await Send(new ChatTarget(ChatService.Slack, server.BaseUrl + "/slack/T000/B000/secret")),
                await Send(new ChatTarget(ChatService.Discord, server.BaseUrl + "/discord/api/webhooks/1/secret")),
                await Send(new ChatTarget(ChatService.Teams, server.BaseUrl + "/teams/workflows/secret")),
                await Send(new ChatTarget(ChatService.Matrix, server.BaseUrl, "!room:example.org", "syt_token")),
                await Send(new ChatTarget(ChatService.Slack, server.BaseUrl + "/slack/broken/secret")),
            };
        });

        Assert.All(results[..4], r => Assert.True(r.Succeeded, r.Error));
        Assert.Equal(new[] { "discord", "matrix", "slack", "teams" }, bodies.Keys.Order());
        Assert.Equal("Bearer syt_token", Assert.Single(matrixAuth));
        Assert.Equal("Slack answered 404 Not Found", results[4].Error);
        Assert.DoesNotContain("secret", results[4].Error);
    }

    [Theory]
    [InlineData("http://hooks.slack.com/services/x", false, "https://")]
    [InlineData("https://169.254.169.254/latest", false, "private")]
    [InlineData("https://user:pw@hooks.slack.com/x", false, "user name")]
    public void Addresses_follow_the_sources_rules_and_need_https(string url, bool allowPrivate, string said) =>
        Assert.Contains(said, ChatSender.Problem(url, allowPrivate), StringComparison.OrdinalIgnoreCase);
}
