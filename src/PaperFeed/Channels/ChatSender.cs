using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using PaperFeed.Sources;

namespace PaperFeed.Channels;

/// <summary>
/// Where a channel posts. <see cref="Url"/> is the incoming webhook (Slack, Discord, Teams) or the Matrix homeserver's
/// base address; <see cref="Room"/> and <see cref="Token"/> are Matrix's. The URL and token are secrets: no message
/// or log line of this class holds them.
/// </summary>
public sealed record ChatTarget(ChatService Service, string Url, string? Room = null, string? Token = null);

/// <summary>How a send went: how many messages were accepted, and why the next was not (null when all were).</summary>
public sealed record ChatSendResult(int Accepted, string? Error, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Posts composed messages (<see cref="ChatMessages"/>) to a chat service, in order, stopping at the first refusal.
/// The address rules are the sources' (<see cref="SourceAddress"/>, checked on the address and again on the socket it
/// dials), plus HTTPS: a webhook URL carries its own secret. No redirect is followed.
/// </summary>
public sealed class ChatSender(HttpClient http, IOptions<SourcesOptions> sources, ILogger<ChatSender> logger)
{
    /// <summary>Why <paramref name="url"/> cannot be a channel's address, or null. Plain http only where private addresses are allowed (loopback stand-ins in tests).</summary>
    public static string? Problem(string url, bool allowPrivate)
    {
        if (SourceAddress.Problem(url, allowPrivate) is { } problem) return problem;
        if (!allowPrivate && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) return "Use an https:// address: a webhook address is a secret.";
        return null;
    }

    /// <summary>
    /// Sends <paramref name="messages"/>; <paramref name="deliveryKey"/> names this delivery so that Matrix, given the
    /// same transaction id on a retry, stores the event once (txnId = key + message index).
    /// </summary>
    public async Task<ChatSendResult> SendAsync(ChatTarget target, IReadOnlyList<string> messages, string deliveryKey, CancellationToken ct)
    {
        if (Problem(target.Url, sources.Value.AllowPrivateAddresses) is { } problem) return new(0, problem);
        for (var i = 0; i < messages.Count; i++)
        {
            using var request = Request(target, messages[i], $"{deliveryKey}-{i}");
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                if (!response.IsSuccessStatusCode)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta
                        ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
                    return new(i, $"{target.Service} answered {(int)response.StatusCode} {response.ReasonPhrase}", retryAfter);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // The exception's message may quote the address: only its kind is kept.
                logger.LogWarning("Posting to a {Service} channel failed: {Kind}", target.Service, ex.GetType().Name);
                return new(i, $"{target.Service} could not be reached ({(ex is TaskCanceledException ? "timed out" : "connection failed")})");
            }
        }
        return new(messages.Count, null);
    }

    private static HttpRequestMessage Request(ChatTarget target, string body, string transactionId)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (target.Service != ChatService.Matrix) return new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = content };
        // Client-server API: PUT …/send/m.room.message/{txnId} is idempotent per access token and txnId.
        var url = $"{target.Url.TrimEnd('/')}/_matrix/client/v3/rooms/{Uri.EscapeDataString(target.Room ?? "")}/send/m.room.message/{Uri.EscapeDataString(transactionId)}";
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", target.Token);
        return request;
    }
}

public static class ChannelsExtensions
{
    public static void AddChannels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<PostToChannelsJob>();
        builder.Services.AddHttpClient<ChatSender>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<SourcesOptions>>().Value;
                http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
                http.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
            })
            // Logged requests would print the webhook address, which is its secret.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                var allowPrivate = services.GetRequiredService<IOptions<SourcesOptions>>().Value.AllowPrivateAddresses;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => SourceFetcher.ConnectAsync(context, allowPrivate, ct),
                };
            });
    }
}
