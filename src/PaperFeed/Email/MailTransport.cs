using System.Net.Sockets;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace PaperFeed.Email;

/// <summary>Where emails leave the app: the one external side effect worth a seam (SMTP, or the log when none is set).</summary>
public interface IMailTransport
{
    /// <summary>Sends the messages over one connection; <paramref name="sent"/> is told of each one the server accepted.</summary>
    Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct);
}

public static class MailTransportExtensions
{
    public static Task SendAsync(this IMailTransport transport, MimeMessage message, CancellationToken ct) =>
        transport.SendAsync([message], null, ct);
}

/// <summary>MailKit over SMTP: one connection per batch (renewed every MessagesPerConnection messages).</summary>
public sealed class SmtpMailTransport(IOptions<SmtpOptions> options, ILogger<SmtpMailTransport> logger) : IMailTransport
{
    private readonly MimeKit.Cryptography.DkimSigner? _dkim = DkimSigning.CreateSigner(options.Value);

    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct)
    {
        var o = options.Value;
        foreach (var chunk in messages.Chunk(o.MessagesPerConnection))
        {
            using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
            var socket = await ConnectAsync(o, ct);
            try
            {
                await client.ConnectAsync(socket, o.Host!, o.Port, o.Security, ct);
            }
            catch
            {
                socket.Dispose(); // a failed greeting or TLS handshake: MailKit may not have taken the socket yet
                throw;
            }
            if (!string.IsNullOrEmpty(o.User)) await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
            foreach (var message in chunk)
            {
                // Several digest connections share this transport; MimeKit does not document DkimSigner as thread-safe.
                // A digest stored ready to send was signed when composed: signing again would change the bytes it stored.
                if (_dkim is not null && !message.Headers.Contains(HeaderId.DkimSignature)) lock (_dkim) DkimSigning.Sign(_dkim, message);
                await client.SendAsync(message, ct);
                if (logger.IsEnabled(LogLevel.Information))
                    logger.LogInformation("Sent {Subject} to {To} ({MessageId})", message.Subject, message.To.ToString(), message.MessageId);
                if (sent is not null) await sent(message);
            }
            await client.DisconnectAsync(quit: true, ct);
        }
    }

    /// <summary>
    /// The socket MailKit talks over, with Nagle off: MailKit writes a message in several pieces, and Nagle holds the last
    /// one back until the server's delayed ACK (40 ms), twice per message, which capped a batch at ~11 messages/s.
    /// </summary>
    private static async Task<Socket> ConnectAsync(SmtpOptions o, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        try
        {
            await socket.ConnectAsync(o.Host!, o.Port, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No answer from the SMTP server {o.Host}:{o.Port} within {o.TimeoutSeconds} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>No SMTP server configured: each message is written to the log, links included, so development needs no server.</summary>
public sealed class LogMailTransport(ILogger<LogMailTransport> logger) : IMailTransport
{
    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            logger.LogWarning("Email not sent (no Smtp:Host set) to {To}: {Subject}\n{Body}", message.To.ToString(), message.Subject, message.TextBody ?? message.HtmlBody);
            if (sent is not null) await sent(message);
        }
    }
}
