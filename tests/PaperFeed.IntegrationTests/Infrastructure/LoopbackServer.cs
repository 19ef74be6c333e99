using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP server on 127.0.0.1 playing the remote sites: each path answers with what the test scripted
/// (a fixture, a 500, a 429, a stall, a cut-off body). Never the internet.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new();
    public ConcurrentQueue<string> Requests { get; } = new();
    private SentBytes _sent = new();

    /// <summary>Bytes of responses handed to the sockets so far, all connections together (headers included).</summary>
    public long BytesSent => Interlocked.Read(ref _sent.Count);
    public string BaseUrl { get; }

    private LoopbackServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl.TrimEnd('/');
    }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var sent = new SentBytes();
        // Counted below Kestrel, where bytes go to the socket: once a client hangs up Kestrel accepts and discards
        // response writes until RequestAborted fires, so what a handler wrote says nothing about what was sent.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new CountingDuplexPipe(transport, sent);
            try { await next(connection); }
            finally { connection.Transport = transport; }
        })));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        LoopbackServer? server = null;
        app.Run(async context =>
        {
            var path = context.Request.Path + context.Request.QueryString;
            server!.Requests.Enqueue(path);
            if (server._routes.TryGetValue(path, out var handler) || server._routes.TryGetValue(context.Request.Path, out handler))
                await handler(context);
            else
                context.Response.StatusCode = 404;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new LoopbackServer(app, address) { _sent = sent };
        return server;
    }

    public void Map(string pathAndQuery, RequestDelegate handler) => _routes[pathAndQuery] = handler;

    public void MapText(string pathAndQuery, string body, string contentType = "application/json", int status = 200) =>
        Map(pathAndQuery, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    public void MapStatus(string pathAndQuery, int status, string? retryAfter = null) =>
        Map(pathAndQuery, context =>
        {
            context.Response.StatusCode = status;
            if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
            return Task.CompletedTask;
        });

    /// <summary>Answers after the client has given up.</summary>
    public void MapStall(string pathAndQuery, TimeSpan delay) =>
        Map(pathAndQuery, async context =>
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { }
        });

    /// <summary>Promises a body, sends part of it and drops the connection.</summary>
    public void MapTruncated(string pathAndQuery, string body) =>
        Map(pathAndQuery, async context =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class SentBytes
{
    public long Count;
}

/// <summary>Passes a connection's pipes through, counting what the server writes to the socket.</summary>
internal sealed class CountingDuplexPipe(System.IO.Pipelines.IDuplexPipe inner, SentBytes sent) : System.IO.Pipelines.IDuplexPipe
{
    public System.IO.Pipelines.PipeReader Input => inner.Input;
    public System.IO.Pipelines.PipeWriter Output { get; } = new CountingWriter(inner.Output, sent);

    private sealed class CountingWriter(System.IO.Pipelines.PipeWriter inner, SentBytes sent) : System.IO.Pipelines.PipeWriter
    {
        public override void Advance(int bytes)
        {
            Interlocked.Add(ref sent.Count, bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
        public override void CancelPendingFlush() => inner.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => inner.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
        public override ValueTask<System.IO.Pipelines.FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }
}
