using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Digests;

/// <summary>/admin/digests (test digest, suspended subscriptions, deliveries not sent) and the digest section of /account.</summary>
public sealed class DigestAdminTests
{
    private static async Task<(PaperFeedApp App, SmtpSink Sink)> StartAsync()
    {
        var sink = await SmtpSink.StartAsync();
        var app = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, sink.AppSettings());
        return (app, sink);
    }

    [Fact]
    public async Task An_administrator_gets_a_test_digest_through_the_real_sender_and_nothing_is_recorded()
    {
        var (app, sink) = await StartAsync();
        await using var _ = app;
        await using var __ = sink;
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
            [new PaperRecord { ArxivId = "2606.09001", Title = "Tested Paper", ListDay = new DateOnly(2026, 6, 12), Upvotes = 7 }]));
        using var admin = await TestAccounts.AdminAsync(app);

        var form = await admin.FindFormAsync("/admin/digests", "main form[action*='handler=Test']");
        var response = await admin.PostFormAsync(form);

        Assert.Equal("/admin/digests", response.RedirectTarget());
        var message = await sink.NextMessageToAsync("admin@example.org");
        Assert.StartsWith("[Test] ", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Tested Paper", message.TextBody, StringComparison.Ordinal);
        Assert.NotNull(message.HtmlBody);
        Assert.Equal(0, await app.WithDbAsync(db => db.DigestDeliveries.CountAsync()));
        Assert.Contains("A test digest of the latest day was sent to admin@example.org", (await admin.GetPageAsync("/admin/digests")).Body!.TextContent, StringComparison.Ordinal);

        // A reader posting the same form (with their own antiforgery token) is refused; a visitor is sent to sign in.
        using var reader = await TestAccounts.SignedInAsync(app, "reader@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostFormAsync(await reader.WithOwnTokenAsync(form))).StatusCode);
        using var visitor = Forms.Client(app);
        Assert.StartsWith("/account/login", (await visitor.GetAsync("/admin/digests")).RedirectPath(), StringComparison.Ordinal);
        Assert.Single(sink.MessagesTo("admin@example.org"));
        Assert.DoesNotContain(sink.MessagesTo("reader@example.org"), m => (m.Subject ?? "").StartsWith("[Test]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Suspended_subscriptions_and_unsent_deliveries_are_listed_and_a_suspended_one_can_be_reactivated()
    {
        var (app, sink) = await StartAsync();
        await using var _ = app;
        await using var __ = sink;
        await app.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = "bounced@example.org", Status = SubscriptionStatus.Suspended, PermanentFailures = 3, LastError = "550 mailbox unavailable" });
            var waiting = db.Subscriptions.Add(new Subscription { Email = "waiting@example.org", Status = SubscriptionStatus.Active }).Entity;
            await db.SaveChangesAsync();
            db.DigestDeliveries.Add(new DigestDelivery { SubscriptionId = waiting.Id, Period = "2026-06-11", MessageId = "digest-x@example.org", Subject = "S", Text = "T",
                Attempts = 2, LastError = "SocketException: Connection refused", NextAttemptAt = new DateTime(2026, 6, 12, 8, 5, 0, DateTimeKind.Utc) });
            return await db.SaveChangesAsync();
        });
        using var admin = await TestAccounts.AdminAsync(app);

        var page = await admin.GetPageAsync("/admin/digests");
        var row = page.QuerySelector("tr[data-subscription='bounced@example.org']")!;
        Assert.Contains("550 mailbox unavailable", row.TextContent, StringComparison.Ordinal);
        var unsent = Assert.Single(page.QuerySelectorAll("table.unsent tbody tr"));
        Assert.Contains("waiting@example.org", unsent.TextContent, StringComparison.Ordinal);
        Assert.Contains("retry after 2026-06-12 08:05 UTC", unsent.TextContent, StringComparison.Ordinal);

        var response = await admin.SubmitAsync("/admin/digests", "tr[data-subscription='bounced@example.org'] form");

        Assert.Equal("/admin/digests", response.RedirectTarget());
        var bounced = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync(s => s.Email == "bounced@example.org"));
        Assert.Equal((SubscriptionStatus.Active, 0, null), (bounced.Status, bounced.PermanentFailures, bounced.LastError));
        page = await admin.GetPageAsync("/admin/digests");
        Assert.Null(page.QuerySelector("tr[data-subscription='bounced@example.org']"));
        Assert.Contains("bounced@example.org receives digests again.", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_reader_subscribes_and_unsubscribes_their_account_address_from_the_account_page()
    {
        var (app, sink) = await StartAsync();
        await using var _ = app;
        await using var __ = sink;
        using var reader = await TestAccounts.SignedInAsync(app, "Reader@Example.org");

        var page = await reader.GetPageAsync("/account");
        Assert.Contains("Not subscribed", page.QuerySelector(".digest-status")!.TextContent, StringComparison.Ordinal);

        Assert.Equal("/account", (await reader.SubmitAsync("/account", "form.digest-subscribe")).RedirectTarget());

        var subscription = await app.WithDbAsync(db => db.Subscriptions.AsNoTracking().SingleAsync());
        Assert.Equal(("reader@example.org", SubscriptionStatus.Active), (subscription.Email, subscription.Status));
        Assert.NotNull(subscription.UserId);
        page = await reader.GetPageAsync("/account");
        Assert.Contains("Subscribed", page.QuerySelector(".digest-status")!.TextContent, StringComparison.Ordinal);
        var preferences = page.QuerySelectorAll("a").Single(a => a.TextContent == "Preferences").GetAttribute("href")!;
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync(new Uri(preferences).PathAndQuery)).StatusCode);

        Assert.Equal("/account", (await reader.SubmitAsync("/account", "form.digest-unsubscribe")).RedirectTarget());

        Assert.Equal(SubscriptionStatus.Unsubscribed, await app.WithDbAsync(db => db.Subscriptions.Select(s => s.Status).SingleAsync()));
        Assert.Contains("Not subscribed", (await reader.GetPageAsync("/account")).QuerySelector(".digest-status")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(sink.MessagesTo("reader@example.org"), m => (m.Subject ?? "").Contains("digest", StringComparison.OrdinalIgnoreCase));
    }
}
