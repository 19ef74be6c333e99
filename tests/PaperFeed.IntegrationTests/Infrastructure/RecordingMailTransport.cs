using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MimeKit;
using PaperFeed.Email;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>Keeps every message the app sends instead of sending it; replace IMailTransport with it in a test's services.</summary>
public sealed partial class RecordingMailTransport : IMailTransport
{
    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    public async Task SendAsync(IReadOnlyList<MimeMessage> messages, Func<MimeMessage, Task>? sent, CancellationToken ct)
    {
        foreach (var message in messages)
        {
            Messages.Enqueue(message);
            if (sent is not null) await sent(message);
        }
    }

    public List<MimeMessage> To(string address) =>
        [.. Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The path and query of the first link in the message's text that goes to <paramref name="path"/>.</summary>
    public static string LinkTo(MimeMessage message, string path)
    {
        foreach (Match match in Url().Matches(message.TextBody ?? ""))
        {
            var uri = new Uri(match.Value);
            if (uri.AbsolutePath == path) return uri.PathAndQuery;
        }
        throw new InvalidOperationException($"No link to {path} in \"{message.Subject}\":\n{message.TextBody}");
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();
}
