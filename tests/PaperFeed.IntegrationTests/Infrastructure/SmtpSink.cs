using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (SmtpServer package) that keeps every message it accepts, so a test reads
/// the emails the app sent through MailKit exactly as a mailbox would receive them.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    public const string From = "PaperFeed <papers@paperfeed.test>";
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Lock _lock = new();
    private readonly List<Received> _messages = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A message with the envelope recipients it was sent to, and whether a test has taken it yet.</summary>
    private sealed record Received(MimeMessage Message, IReadOnlyList<string> To)
    {
        public bool Taken { get; set; }
    }

    public int Port { get; }

    private SmtpSink(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.paperfeed.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new SmtpNoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink(FreePort());
        // The listener binds in the background: wait until it accepts, so the app's first email finds it.
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, sink.Port);
                return sink;
            }
            catch (SocketException) when (i < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Settings that make the app send its email here.</summary>
    public Dictionary<string, string?> AppSettings() => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = From,
        ["App:BaseUrl"] = "http://localhost",
    };

    /// <summary>Every message received so far for <paramref name="address"/>, taken or not.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string address)
    {
        lock (_lock) return _messages.Where(m => IsFor(m, address)).Select(m => m.Message).ToList();
    }

    /// <summary>The oldest message to <paramref name="address"/> not taken yet, waiting for it at most <paramref name="timeout"/> (10 s).</summary>
    public async Task<MimeMessage> NextMessageToAsync(string address, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                if (_messages.FirstOrDefault(m => !m.Taken && IsFor(m, address)) is { } next)
                {
                    next.Taken = true;
                    return next.Message;
                }
                arrived = _arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No email to {address} arrived within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
            }
        }
    }

    /// <summary>The http(s) links in a message's text part, in order.</summary>
    public static IReadOnlyList<string> Links(MimeMessage message) =>
        LinkPattern().Matches(message.TextBody ?? "").Select(m => m.Value.TrimEnd('.', ',', ')')).ToList();

    /// <summary>The first link whose path starts with <paramref name="path"/>, as a path and query for the test client.</summary>
    public static string LinkTo(MimeMessage message, string path)
    {
        var link = Links(message).FirstOrDefault(l => new Uri(l).AbsolutePath.StartsWith(path, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No link to {path} in \"{message.Subject}\": {message.TextBody}");
        return new Uri(link).PathAndQuery;
    }

    private static bool IsFor(Received m, string address) =>
        m.To.Any(to => string.Equals(to, address, StringComparison.OrdinalIgnoreCase));

    private void Add(MimeMessage message, IReadOnlyList<string> to)
    {
        lock (_lock)
        {
            _messages.Add(new Received(message, to));
            _arrived.TrySetResult();
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex LinkPattern();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try { await _running.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
    }

    /// <summary>Parses each accepted DATA buffer into a MimeMessage, keyed by the envelope recipients.</summary>
    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream();
            foreach (var segment in buffer) await stream.WriteAsync(segment, cancellationToken);
            stream.Position = 0;
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink.Add(message, transaction.To.Select(m => $"{m.User}@{m.Host}").ToList());
            return SmtpResponse.Ok;
        }
    }
}
