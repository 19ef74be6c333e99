using Microsoft.Extensions.Options;
using MimeKit;

namespace PaperFeed.Email;

/// <summary>Builds the short account emails (confirm, reset, notices) with absolute links.</summary>
public sealed class AccountMail(IMailTransport transport, IOptions<SmtpOptions> smtp)
{
    public Task SendAsync(string to, string subject, string text, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From ?? "PaperFeed <paperfeed@localhost>"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return transport.SendAsync(message, ct);
    }
}
