using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Email;

namespace PaperFeed.Digests;

/// <summary>A stored delivery as the sender needs it (the subscription's state read just before sending).</summary>
public sealed record PendingDelivery(long Id, string MessageId, string Subject, string? Html, string Text, DateTime CreatedAt, int Attempts,
    long SubscriptionId, string Email, SubscriptionStatus Status);

/// <summary>Builds the MIME message for a stored delivery: its stable Message-ID, RFC 8058 one-click unsubscribe, text and HTML parts.</summary>
public sealed class DigestMessages(IOptions<SmtpOptions> smtp)
{
    public MimeMessage Build(PendingDelivery delivery, string unsubscribeUrl)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From ?? "PaperFeed <paperfeed@localhost>"));
        message.To.Add(MailboxAddress.Parse(delivery.Email));
        message.Subject = delivery.Subject;
        message.MessageId = delivery.MessageId;
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(delivery.CreatedAt, DateTimeKind.Utc));
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribeUrl}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new TextPart("plain") { Text = delivery.Text };
        message.Body = delivery.Html is null ? text : new MultipartAlternative { text, new TextPart("html") { Text = delivery.Html } };
        return message;
    }

    /// <summary>"digest-{subscription}.{period}@{host}": derived from the row's unique key, so it is the same on every attempt.</summary>
    public static string MessageIdFor(long subscriptionId, string period, string? baseUrl)
    {
        var host = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.Host : "localhost";
        return $"digest-{subscriptionId}.{period}@{host}";
    }
}
