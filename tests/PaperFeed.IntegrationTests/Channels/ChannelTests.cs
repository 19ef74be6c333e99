using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperFeed.Channels;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Accounts;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Channels;

/// <summary>Stored channels, the job that posts their views to loopback stand-ins, and the pages, on both providers.</summary>
public sealed class ChannelTests
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 12, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_day_is_posted_once_and_a_failing_webhook_is_retried_after_its_backoff_without_posting_twice(DatabaseProvider provider)
    {
        await using var server = await LoopbackServer.StartAsync();
        var slackLinks = new ConcurrentQueue<string>();
        var discordLinks = new ConcurrentQueue<string>();
        var discordDown = true;
        var discordCalls = 0;
        server.Map("/slack/hook", async context =>
        {
            var json = await JsonDocument.ParseAsync(context.Request.Body);
            foreach (var block in json.RootElement.GetProperty("blocks").EnumerateArray().Skip(1))
                slackLinks.Enqueue(block.GetProperty("text").GetProperty("text").GetString()!);
            context.Response.StatusCode = 200;
        });
        server.Map("/discord/hook", async context =>
        {
            Interlocked.Increment(ref discordCalls);
            var json = await JsonDocument.ParseAsync(context.Request.Body);
            if (discordDown) { context.Response.StatusCode = 500; return; }
            foreach (var embed in json.RootElement.GetProperty("embeds").EnumerateArray()) discordLinks.Enqueue(embed.GetProperty("url").GetString()!);
            context.Response.StatusCode = 204;
        });
        var clock = new FixedTimeProvider(Noon);
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["App:BaseUrl"] = "http://papers.example" },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await AccountFlowTests.SeedDayAsync(app);
        var dayPapers = await app.WithDbAsync(db => db.Papers.CountAsync(p => p.Listings.Any(l => l.Day == new DateOnly(2026, 6, 12))));
        var expected = Math.Min(dayPapers, ChannelView.MaxPapers);
        var (slackId, discordId) = await app.WithDbAsync(async db =>
        {
            var slack = new ChatChannel { Name = "Lab Slack", Service = ChatService.Slack, WebhookUrl = server.BaseUrl + "/slack/hook", View = "/" };
            var discord = new ChatChannel { Name = "Lab Discord", Service = ChatService.Discord, WebhookUrl = server.BaseUrl + "/discord/hook", View = "/" };
            db.ChatChannels.AddRange(slack, discord);
            await db.SaveChangesAsync();
            return (slack.Id, discord.Id);
        });
        Task<ChannelRunResult> RunAsync() => app.WithScopeAsync(s => s.GetRequiredService<PostToChannelsJob>().RunOnceAsync(default));
        Task<ChatChannel> ChannelAsync(int id) => app.WithDbAsync(db => db.ChatChannels.AsNoTracking().SingleAsync(c => c.Id == id));
        Task<int> PostedAsync(int id) => app.WithDbAsync(db => db.ChannelPosts.CountAsync(p => p.ChannelId == id));

        var first = await RunAsync();
        Assert.Equal(new ChannelRunResult(2, expected, 1), first);
        Assert.Equal(expected, slackLinks.Count);
        Assert.Equal(expected, await PostedAsync(slackId));
        var failing = await ChannelAsync(discordId);
        Assert.Equal("Discord answered 500 Internal Server Error", failing.LastError);
        Assert.Equal(1, failing.ConsecutiveFailures);
        Assert.Equal(Noon.UtcDateTime.AddMinutes(5), failing.NextAttemptAt);
        Assert.Equal(0, await PostedAsync(discordId)); // forgotten, so retried

        // Within the backoff: the failing channel is not tried, the healthy one has nothing new.
        clock.Now = Noon.AddMinutes(2);
        Assert.Equal(new ChannelRunResult(1, 0, 0), await RunAsync());
        Assert.Equal(1, discordCalls);
        Assert.Equal(expected, slackLinks.Count);

        // Still failing after the backoff: the next wait doubles.
        clock.Now = Noon.AddMinutes(6);
        await RunAsync();
        Assert.Equal(2, discordCalls);
        Assert.Equal(Noon.UtcDateTime.AddMinutes(16), (await ChannelAsync(discordId)).NextAttemptAt);

        discordDown = false;
        clock.Now = Noon.AddMinutes(17);
        Assert.Equal(new ChannelRunResult(2, expected, 0), await RunAsync());
        Assert.Equal(new ChannelRunResult(2, 0, 0), await RunAsync());
        Assert.Equal(expected, discordLinks.Count);
        Assert.Equal(expected, discordLinks.Distinct().Count());
        Assert.All(discordLinks, l => Assert.StartsWith("http://papers.example/papers/", l));
        Assert.Equal(expected, slackLinks.Count);
        var healed = await ChannelAsync(discordId);
        Assert.Equal((0, null), (healed.ConsecutiveFailures, healed.LastError));
        Assert.Equal(expected, await PostedAsync(discordId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_reader_sees_and_edits_only_their_own_channels_and_the_address_is_never_shown_in_full(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        var bob = await TestAccounts.SignedInAsync(app, "bob@example.org");
        const string hook = "https://hooks.slack.com/services/T000/B000/very-secret-token";

        var refused = await ada.SubmitAsync("/channels/edit", "main form[method=post]", new Dictionary<string, string>
        {
            ["Input.Name"] = "Ada's Slack", ["Input.Service"] = "Slack", ["Input.Url"] = hook, ["Input.View"] = "/account",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The view must be a list page", await refused.Content.ReadAsStringAsync());

        var saved = await ada.SubmitAsync("/channels/edit", "main form[method=post]", new Dictionary<string, string>
        {
            ["Input.Name"] = "Ada's Slack", ["Input.Service"] = "Slack", ["Input.Url"] = hook, ["Input.View"] = "/?topic=cs.lg",
        });
        Assert.Equal("/channels", saved.RedirectTarget());
        var id = await app.WithDbAsync(db => db.ChatChannels.Where(c => c.Name == "Ada's Slack").Select(c => c.Id).SingleAsync());
        var list = await (await ada.GetAsync("/channels")).Content.ReadAsStringAsync();
        var row = (await ada.GetPageAsync("/channels")).QuerySelector($"tr[data-channel='{id}']")!.TextContent;
        Assert.Contains("Ada's Slack", row);
        Assert.Contains("https://hooks.slack.com/…", row);
        var edit = await (await ada.GetAsync($"/channels/edit/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("very-secret-token", list + edit);
        Assert.DoesNotContain("/services/", list + edit);

        // Saved again without an address: the stored one is kept.
        Assert.Equal("/channels", (await ada.SubmitAsync($"/channels/edit/{id}", "main form[method=post]",
            new Dictionary<string, string> { ["Input.Name"] = "Ada's team" })).RedirectTarget());
        Assert.Equal(hook, await app.WithDbAsync(db => db.ChatChannels.Where(c => c.Id == id).Select(c => c.WebhookUrl).SingleAsync()));

        // Bob: not listed, not found, and his posts change nothing.
        Assert.DoesNotContain("Ada", await (await bob.GetAsync("/channels")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/channels/edit/{id}")).StatusCode);
        var bobsForm = await bob.FindFormAsync("/channels/edit", "main form[method=post]");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostFormAsync(bobsForm with { Action = $"/channels/edit/{id}" },
            new Dictionary<string, string> { ["Input.Name"] = "Bob's now", ["Input.Url"] = "https://hooks.slack.com/services/bob", ["Input.View"] = "/" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostFormAsync(bobsForm with { Action = $"/channels?handler=Delete&id={id}" })).StatusCode);
        Assert.Equal("Ada's team", await app.WithDbAsync(db => db.ChatChannels.Where(c => c.Id == id).Select(c => c.Name).SingleAsync()));
    }
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_paused_channel_is_not_posted_by_the_schedule_and_send_now_posts_at_once_each_paper_once(DatabaseProvider provider)
    {
        await using var server = await LoopbackServer.StartAsync();
        var links = new ConcurrentQueue<string>();
        server.Map("/slack/hook", async context =>
        {
            var json = await JsonDocument.ParseAsync(context.Request.Body);
            foreach (var block in json.RootElement.GetProperty("blocks").EnumerateArray().Skip(1))
                links.Enqueue(block.GetProperty("text").GetProperty("text").GetString()!);
            context.Response.StatusCode = 200;
        });
        var clock = new FixedTimeProvider(Noon);
        await using var app = await PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["App:BaseUrl"] = "http://papers.example" },
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        await AccountFlowTests.SeedDayAsync(app);
        var dayPapers = await app.WithDbAsync(db => db.Papers.CountAsync(p => p.Listings.Any(l => l.Day == new DateOnly(2026, 6, 12))));
        var expected = Math.Min(dayPapers, ChannelView.MaxPapers);
        var id = await app.WithDbAsync(async db =>
        {
            var channel = new ChatChannel { Name = "Lab Slack", Service = ChatService.Slack, WebhookUrl = server.BaseUrl + "/slack/hook", View = "/" };
            db.ChatChannels.Add(channel);
            await db.SaveChangesAsync();
            return channel.Id;
        });
        using var admin = await TestAccounts.AdminAsync(app);
        var row = $"tr[data-channel='{id}']";
        Task<HttpResponseMessage> PressAsync(string handler) => admin.SubmitAsync("/channels", $"{row} form[action*='handler={handler}']");
        async Task<(string Row, string Notice)> PageAsync()
        {
            var page = await admin.GetPageAsync("/channels");
            return (page.QuerySelector(row)!.TextContent, page.QuerySelector("[role=status]")?.TextContent ?? "");
        }
        Task<ChannelRunResult> RunAsync() => app.WithScopeAsync(s => s.GetRequiredService<PostToChannelsJob>().RunOnceAsync(default));

        Assert.Equal("/channels", (await PressAsync("Pause")).RedirectTarget());
        var (paused, notice) = await PageAsync();
        Assert.Contains("Paused", paused);
        Assert.Contains("Resume", paused);
        Assert.Equal("Channel paused.", notice);
        Assert.Equal(new ChannelRunResult(0, 0, 0), await RunAsync());
        Assert.Empty(links);

        // "Send now" is the reader's own request: it posts at once, paused or not, and the channel stays paused.
        Assert.Equal("/channels", (await PressAsync("Send")).RedirectTarget());
        Assert.Equal(expected, links.Count);
        var (sent, sentNotice) = await PageAsync();
        Assert.Equal($"Lab Slack: {expected} papers posted.", sentNotice);
        Assert.Contains("Paused", sent);

        Assert.Equal("/channels", (await PressAsync("Send")).RedirectTarget());
        Assert.Equal("Lab Slack: no new papers to post.", (await PageAsync()).Notice);
        Assert.Equal("/channels", (await PressAsync("Pause")).RedirectTarget());
        Assert.DoesNotContain("Paused", (await PageAsync()).Row);
        Assert.Equal(new ChannelRunResult(1, 0, 0), await RunAsync());
        Assert.Equal(expected, links.Count);
        Assert.Equal(expected, links.Distinct().Count());
        Assert.Equal(expected, await app.WithDbAsync(db => db.ChannelPosts.CountAsync(p => p.ChannelId == id)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_dated_day_week_or_month_is_refused_as_a_view_and_papers_date_alone_is_the_latest_day(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var ada = await TestAccounts.SignedInAsync(app, "ada@example.org");
        Task<HttpResponseMessage> SaveAsync(string view) => ada.SubmitAsync("/channels/edit", "main form[method=post]", new Dictionary<string, string>
        {
            ["Input.Name"] = "Ada's Slack", ["Input.Service"] = "Slack", ["Input.Url"] = "https://hooks.slack.com/services/T000/B000/x", ["Input.View"] = view,
        });

        foreach (var view in new[] { "/papers/date/2026-06-12?topic=cs.lg", "/papers/week/2026-W24?topic=cs.lg", "http://localhost/papers/month/2026-06?topic=cs.lg" })
        {
            var refused = await SaveAsync(view);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var text = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync()).QuerySelector("main")!.TextContent;
            Assert.Contains("is a fixed day, week or month: it never has new papers to post. Use /?topic=cs.lg for each day's new papers with the same filters.", text);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.ChatChannels.CountAsync()));

        Assert.Equal("/channels", (await SaveAsync("/papers/date?topic=cs.lg")).RedirectTarget());
        Assert.Contains("/papers/date?topic=cs.lg", (await ada.GetPageAsync("/channels")).QuerySelector("tr[data-channel]")!.TextContent);
    }
}
