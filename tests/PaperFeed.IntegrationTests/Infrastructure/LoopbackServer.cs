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
    public string BaseUrl { get; }

    private LoopbackServer(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl.TrimEnd('/');
    }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
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
        server = new LoopbackServer(app, address);
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
