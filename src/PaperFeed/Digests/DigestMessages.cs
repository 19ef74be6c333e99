using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using PaperFeed.Email;

namespace PaperFeed.Digests;

/// <summary>A stored delivery as the sender needs it (the subscription's state read just before sending).</summary>
/// <param name="Mime">The message ready to send, when it was stored at composing; rows composed before that carry Html and Text.</param>
public sealed record PendingDelivery(long Id, string MessageId, string Subject, string? Html, string Text, DateTime CreatedAt, int Attempts,
    long SubscriptionId, string Email, SubscriptionStatus Status, byte[]? Mime = null);

/// <summary>Builds the MIME message for a stored delivery: its stable Message-ID, RFC 8058 one-click unsubscribe, text and HTML parts.</summary>
public sealed class DigestMessages(IOptions<SmtpOptions> smtp)
{
    // One signer per composing thread: MimeKit does not document DkimSigner as thread-safe, and an RSA signature under one lock
    // would serialize composing on every core.
    private readonly ThreadLocal<DkimSigner?> _dkim = new(() => DkimSigning.CreateSigner(smtp.Value));

    /// <summary>How a message is stored: CRLF, as it goes over SMTP, so what is stored is what the server receives.</summary>
    private static readonly FormatOptions Stored = StoredFormat();

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

    /// <summary>
    /// The message ready to send, as bytes to store with the delivery: built, encoded for a 7-bit transport (lines up to
    /// RFC 5322's 998, so the ASCII-only HTML part needs no quoted-printable) and DKIM-signed where configured. Sending it is
    /// <see cref="Load"/> + SMTP, and every attempt sends these same bytes.
    /// </summary>
    public byte[] Write(PendingDelivery delivery, string unsubscribeUrl)
    {
        var message = Build(delivery, unsubscribeUrl);
        if (_dkim.Value is { } signer) DkimSigning.Sign(signer, message, DkimSigning.MaxLineLength);
        else message.Prepare(EncodingConstraint.SevenBit, DkimSigning.MaxLineLength);
        using var stream = new MemoryStream(8192 + (delivery.Html?.Length ?? 0) + delivery.Text.Length * 3 / 2);
        message.WriteTo(Stored, stream);
        return stream.ToArray();
    }

    /// <summary>A stored message, parsed without copying its content: MailKit writes the parts back out as they were stored.</summary>
    public static MimeMessage Load(byte[] mime) => MimeMessage.Load(new MemoryStream(mime, writable: false), persistent: true);

    /// <summary>"digest-{subscription}.{period}@{host}": derived from the row's unique key, so it is the same on every attempt.</summary>
    public static string MessageIdFor(long subscriptionId, string period, string? baseUrl)
    {
        var host = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.Host : "localhost";
        return $"digest-{subscriptionId}.{period}@{host}";
    }

    private static FormatOptions StoredFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }
}
