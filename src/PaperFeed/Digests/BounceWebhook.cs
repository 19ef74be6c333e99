using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>
/// <c>POST /digest/bounce</c>: bounces and complaints the relay learns of after it accepted a digest (most bounces
/// arrive this way, not at SMTP time). The body is a Mailgun-shaped event webhook — the format most relays emit or can
/// be mapped to — signed with HMAC-SHA256 over timestamp + token with <c>Digests:Bounces:SigningKey</c>. A webhook
/// rather than an IMAP reader: it needs no mailbox credentials, arrives within seconds, and is one HTTP route.
/// A permanent failure suspends the address, a complaint unsubscribes it; temporary failures change nothing.
/// </summary>
public static class BounceWebhook
{
    public const string Path = "/digest/bounce";

    public static void MapBounceWebhook(this WebApplication app) =>
        app.MapPost(Path, HandleAsync).DisableAntiforgery();

    private static async Task<IResult> HandleAsync(HttpRequest request, CatalogDbContext db, IOptions<BounceOptions> options,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var key = options.Value.SigningKey;
        // Off until an operator configures the relay's key: an unsigned endpoint would let anyone suspend anyone.
        if (string.IsNullOrEmpty(key)) return Results.NotFound();

        BounceEvent bounce;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            bounce = BounceEvent.Read(body.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            return Results.BadRequest("expected a signed event: {\"signature\": {timestamp, token, signature}, \"event-data\": {event, recipient, …}}");
        }

        if (!bounce.IsSignedWith(key)) return Results.Unauthorized();
        // A captured event replayed much later is refused; within the window a replay only repeats an idempotent change.
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(bounce.Timestamp);
        if (age.Duration() > TimeSpan.FromMinutes(options.Value.MaxAgeMinutes)) return Results.Unauthorized();

        var logger = loggers.CreateLogger(typeof(BounceWebhook));
        var email = SubscriptionChanges.NormalizeEmail(bounce.Recipient);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Email == email, ct);
        // Unknown addresses get the same answer: the relay must not retry, and nobody learns who subscribes.
        if (subscription is null) return Results.Ok();

        var now = time.GetUtcNow().UtcDateTime;
        switch (bounce.Kind)
        {
            case BounceKind.Permanent when subscription.Status is SubscriptionStatus.Active or SubscriptionStatus.Paused:
                subscription.Status = SubscriptionStatus.Suspended;
                subscription.LastError = Truncate($"bounced after delivery: {bounce.Reason}");
                await db.SaveChangesAsync(ct);
                await db.AbandonUnsentAsync(subscription.Id, "suspended: the address bounces", ct);
                logger.LogWarning("Subscription {SubscriptionId} suspended: a relay reported a permanent bounce ({Reason})", subscription.Id, bounce.Reason);
                break;
            case BounceKind.Complaint:
                await db.UnsubscribeAsync(subscription.Id, now, ct);
                logger.LogWarning("Subscription {SubscriptionId} unsubscribed: the reader marked a digest as spam", subscription.Id);
                break;
            default:
                logger.LogInformation("Bounce event {Event} for subscription {SubscriptionId} changes nothing", bounce.Event, subscription.Id);
                break;
        }
        return Results.Ok();
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}

public enum BounceKind { Temporary, Permanent, Complaint, Other }

/// <summary>The few fields of a relay's event that matter here (Mailgun's webhook shape).</summary>
public sealed record BounceEvent(long Timestamp, string Token, string Signature, string Event, string? Severity, string Recipient, string Reason)
{
    public BounceKind Kind => Event switch
    {
        "failed" or "bounced" when Severity == "temporary" => BounceKind.Temporary,
        "failed" or "bounced" => BounceKind.Permanent,
        "complained" => BounceKind.Complaint,
        _ => BounceKind.Other,
    };

    public static BounceEvent Read(JsonElement root)
    {
        var signature = root.GetProperty("signature");
        var data = root.GetProperty("event-data");
        var timestamp = signature.GetProperty("timestamp");
        var seconds = timestamp.ValueKind == JsonValueKind.Number
            ? timestamp.GetInt64()
            : long.Parse(timestamp.GetString() ?? "", NumberStyles.None, CultureInfo.InvariantCulture);
        var reason = data.TryGetProperty("delivery-status", out var status) && status.ValueKind == JsonValueKind.Object
            && status.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String
            ? description.GetString()! : "";
        return new BounceEvent(seconds,
            signature.GetProperty("token").GetString() ?? throw new FormatException("token"),
            signature.GetProperty("signature").GetString() ?? throw new FormatException("signature"),
            data.GetProperty("event").GetString() ?? throw new FormatException("event"),
            data.TryGetProperty("severity", out var severity) ? severity.GetString() : null,
            data.GetProperty("recipient").GetString() ?? throw new FormatException("recipient"),
            reason);
    }

    public bool IsSignedWith(string key)
    {
        var expected = Sign(key, Timestamp, Token);
        // Constant time, so the signature cannot be guessed byte by byte.
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(Signature.ToLowerInvariant()));
    }

    /// <summary>hex(HMAC-SHA256(key, timestamp + token)), as the relay computes it.</summary>
    public static string Sign(string key, long timestamp, string token) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key),
            Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + token)));
}

public sealed class BounceOptions
{
    public const string Section = "Digests:Bounces";

    /// <summary>The relay's webhook signing key; empty turns <c>POST /digest/bounce</c> off (404).</summary>
    public string? SigningKey { get; set; }

    /// <summary>Events signed longer ago than this (either way) are refused, so a captured one cannot be replayed later.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 24 * 60)]
    public int MaxAgeMinutes { get; set; } = 15;
}
