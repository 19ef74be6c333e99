using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package) that keeps what it accepts. It can refuse one recipient with 550,
/// slow each message down, or be stopped (connections refused) and started again on the same port.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    public int Port { get; } = FreePort();
    public IReadOnlyCollection<MimeMessage> Received => _received;
    /// <summary>What the server received, byte for byte (the DATA content, dot-stuffing undone), in the order received.</summary>
    public IReadOnlyCollection<byte[]> ReceivedBytes => _receivedBytes;
    private readonly ConcurrentQueue<byte[]> _receivedBytes = new();
    /// <summary>Recipients answered "550 mailbox unavailable" at RCPT TO.</summary>
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Time the server takes to accept each message.</summary>
    public TimeSpan Delay { get; set; }

    public static SmtpTestServer Start()
    {
        var server = new SmtpTestServer();
        server.Resume();
        return server;
    }

    public void Resume()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new SmtpNoDelayListenerFactory());
        services.Add(new Filter(this));
        _stop = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        try { await _running!; } catch (OperationCanceledException) { }
        _stop.Dispose();
        _stop = null;
    }

    public IReadOnlyDictionary<string, string> SettingsForApp() => new Dictionary<string, string>
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Smtp:From"] = "PaperFeed <digest@papers.example.org>",
        ["Smtp:TimeoutSeconds"] = "10",
        ["App:BaseUrl"] = "https://papers.example.org",
    };

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(SmtpTestServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (owner.Delay > TimeSpan.Zero) await Task.Delay(owner.Delay, cancellationToken);
            var bytes = buffer.ToArray();
            using var stream = new MemoryStream(bytes);
            owner._received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            owner._receivedBytes.Enqueue(bytes);
            return SmtpResponse.Ok;
        }
    }

    private sealed class Filter(SmtpTestServer owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!owner.Refused.ContainsKey($"{to.User}@{to.Host}"));
    }
}
