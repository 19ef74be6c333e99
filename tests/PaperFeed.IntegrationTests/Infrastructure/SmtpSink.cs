using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// The tests' one SMTP server: a real one on 127.0.0.1 (the SmtpServer package) that keeps every message it accepts, so a
/// test reads the emails the app sent through MailKit exactly as a mailbox would receive them. It can refuse a recipient
/// with 550, slow each message down, or be stopped (connections refused) and started again on the same port.
/// </summary>
public sealed partial class SmtpSink : IAsyncDisposable
{
    public const string From = "PaperFeed <papers@paperfeed.test>";
    private readonly Lock _lock = new();
    private readonly List<Accepted> _messages = [];
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    /// <summary>A message with its bytes, the envelope recipients it was sent to, and whether a test has taken it yet.</summary>
    private sealed record Accepted(MimeMessage Message, byte[] Bytes, IReadOnlyList<string> To)
    {
        public bool Taken { get; set; }
    }

    public int Port { get; } = FreePort();

    /// <summary>Recipients answered "550 mailbox unavailable" at RCPT TO.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time the server takes to accept each message.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every message accepted so far, in order.</summary>
    public IReadOnlyList<MimeMessage> Received
    {
        get { lock (_lock) return _messages.Select(m => m.Message).ToList(); }
    }

    /// <summary>What the server accepted, byte for byte (the DATA content, dot-stuffing undone), in order.</summary>
    public IReadOnlyList<byte[]> ReceivedBytes
    {
        get { lock (_lock) return _messages.Select(m => m.Bytes).ToList(); }
    }

    /// <summary>A server listening now (the port is bound before this returns).</summary>
    public static SmtpSink Start()
    {
        var sink = new SmtpSink();
        sink.Resume();
        return sink;
    }

    /// <summary>A server that already accepts connections, so the app's first email finds it.</summary>
    public static async Task<SmtpSink> StartAsync()
    {
        var sink = Start();
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

    /// <summary>Listens (again) on the same port.</summary>
    public void Resume()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("smtp.paperfeed.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new SmtpNoDelayListenerFactory());
        services.Add(new Filter(this));
        _stop = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    /// <summary>Stops listening: connections are refused until <see cref="Resume"/>.</summary>
    public async Task StopAsync()
    {
        if (_stop is null) return;
        _server!.Shutdown();
        await _stop.CancelAsync();
        try { await _running!.WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException) { }
        _stop.Dispose();
        _stop = null;
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

    /// <summary>The digest tests' settings: the app as published at https://papers.example.org, a 10-second SMTP timeout.</summary>
    public IReadOnlyDictionary<string, string> SettingsForApp() => new Dictionary<string, string>
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = "PaperFeed <digest@papers.example.org>",
        ["Smtp:TimeoutSeconds"] = "10",
        ["App:BaseUrl"] = "https://papers.example.org",
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

    private static bool IsFor(Accepted m, string address) =>
        m.To.Any(to => string.Equals(to, address, StringComparison.OrdinalIgnoreCase));

    private void Add(Accepted accepted)
    {
        lock (_lock)
        {
            _messages.Add(accepted);
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

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Parses each accepted DATA buffer into a MimeMessage, keyed by the envelope recipients.</summary>
    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (sink.Delay > TimeSpan.Zero) await Task.Delay(sink.Delay, cancellationToken);
            var bytes = buffer.ToArray();
            using var stream = new MemoryStream(bytes);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink.Add(new Accepted(message, bytes, transaction.To.Select(m => $"{m.User}@{m.Host}").ToList()));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(SmtpSink sink) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!sink.Refused.ContainsKey($"{to.User}@{to.Host}"));
    }
}
