using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Email;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Digests;

/// <summary>POST /digest/bounce: a relay's signed event stops mail to an address that bounced after acceptance.</summary>
public sealed class BounceWebhookTests
{
    private const string Key = "relay-signing-key-for-tests";

    private static Task<PaperFeedApp> StartAsync(DatabaseProvider provider, string? key = Key) =>
        PaperFeedApp.StartAsync(provider, new Dictionary<string, string?> { ["Digests:Bounces:SigningKey"] = key });

    private static async Task<long> AddAsync(PaperFeedApp app, string email, bool withUnsentDigest = false) =>
        await app.WithDbAsync(async db =>
        {
            var subscription = new Subscription
            {
                Email = email, Status = SubscriptionStatus.Active, CreatedAt = DateTime.UtcNow.AddDays(-3), ActivatedAt = DateTime.UtcNow.AddDays(-3),
            };
            db.Subscriptions.Add(subscription);
            await db.SaveChangesAsync();
            if (withUnsentDigest)
            {
                db.DigestDeliveries.Add(new DigestDelivery
                {
                    SubscriptionId = subscription.Id, Period = "2026-06-12", CreatedAt = DateTime.UtcNow, MessageId = $"<{subscription.Id}@test>",
                    Subject = "Digest", Text = "Papers.",
                });
                await db.SaveChangesAsync();
            }
            return subscription.Id;
        });

    private static string Event(string recipient, string @event, string? severity = null, DateTimeOffset? signedAt = null, string key = Key)
    {
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var token = Guid.NewGuid().ToString("N");
        var data = new Dictionary<string, object?> { ["event"] = @event, ["recipient"] = recipient, ["delivery-status"] = new { code = 550, description = "mailbox does not exist" } };
        if (severity is not null) data["severity"] = severity;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["signature"] = new { timestamp = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), token, signature = BounceEvent.Sign(key, timestamp, token) },
            ["event-data"] = data,
        });
    }

    private static Task<HttpResponseMessage> PostAsync(PaperFeedApp app, string body) =>
        app.CreateClient().PostAsync(BounceWebhook.Path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<Subscription> FindAsync(PaperFeedApp app, long id) =>
        app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == id));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_signed_permanent_bounce_suspends_the_address_and_abandons_its_unsent_digest(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var bouncing = await AddAsync(app, "gone@example.org", withUnsentDigest: true);
        var other = await AddAsync(app, "reader@example.org");

        var response = await PostAsync(app, Event("Gone@Example.org", "failed", "permanent"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var suspended = await FindAsync(app, bouncing);
        Assert.Equal(SubscriptionStatus.Suspended, suspended.Status);
        Assert.Contains("mailbox does not exist", suspended.LastError);
        Assert.True(await app.WithDbAsync(db => db.DigestDeliveries.AllAsync(d => d.SubscriptionId != bouncing || d.Abandoned)));
        Assert.Equal(SubscriptionStatus.Active, (await FindAsync(app, other)).Status);
        // The administrator sees it among the suspended addresses, with the reason.
        var admin = await app.WithScopeAsync(s => s.GetRequiredService<DigestAdministration>().SuspendedAsync(CancellationToken.None));
        Assert.Contains(admin, r => r.Email == "gone@example.org" && r.LastError!.Contains("bounced after delivery", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_complaint_unsubscribes_and_a_temporary_failure_changes_nothing(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var complaining = await AddAsync(app, "angry@example.org");
        var full = await AddAsync(app, "full@example.org");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, Event("angry@example.org", "complained"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, Event("full@example.org", "failed", "temporary"))).StatusCode);

        var unsubscribed = await FindAsync(app, complaining);
        Assert.Equal(SubscriptionStatus.Unsubscribed, unsubscribed.Status);
        Assert.NotNull(unsubscribed.UnsubscribedAt);
        Assert.Equal(SubscriptionStatus.Active, (await FindAsync(app, full)).Status);
    }

    [Fact]
    public async Task Forged_stale_or_malformed_events_change_nothing()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite);
        var id = await AddAsync(app, "reader@example.org");

        var forged = await PostAsync(app, Event("reader@example.org", "failed", "permanent", key: "someone-elses-key"));
        var stale = await PostAsync(app, Event("reader@example.org", "failed", "permanent", signedAt: DateTimeOffset.UtcNow.AddHours(-2)));
        var malformed = await PostAsync(app, "{\"event-data\": ");
        var unknown = await PostAsync(app, Event("nobody@example.org", "failed", "permanent"));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var reason = await malformed.Content.ReadAsStringAsync();
        Assert.Contains("expected a signed event", reason);
        Assert.DoesNotContain("   at ", reason); // a reason, not a stack trace
        // An unknown address is answered like a known one: nobody learns who subscribes.
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, (await FindAsync(app, id)).Status);
    }

    [Fact]
    public async Task Without_a_signing_key_the_endpoint_does_not_exist()
    {
        await using var app = await StartAsync(DatabaseProvider.Sqlite, key: null);
        var id = await AddAsync(app, "reader@example.org");

        var response = await PostAsync(app, Event("reader@example.org", "failed", "permanent", key: ""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(SubscriptionStatus.Active, (await FindAsync(app, id)).Status);
    }
}
