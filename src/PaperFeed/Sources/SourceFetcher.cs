using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Sources;

/// <summary>A fetch that did not give a usable body: the reason in words, and how long the server asked us to wait.</summary>
public sealed class FetchException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A body, or "not modified since last time"; the validators are remembered only once the body was ingested.</summary>
public sealed record FetchResult(string Url, string? Body, bool NotModified, string? ETag = null, string? LastModified = null);

/// <summary>
/// The one HTTP client of every source: User-Agent, per-host politeness shared through the database, timeout,
/// body-size cap (after decompression), Retry-After, conditional GET, no private addresses unless allowed.
/// </summary>
public sealed class SourceFetcher(HttpClient http, HostThrottler throttler, CatalogDbContext db, TimeProvider time,
    IOptions<SourcesOptions> options, ILogger<SourceFetcher> logger)
{
    private const int MaxRedirects = 5;

    public async Task<string> GetStringAsync(string url, CancellationToken ct) =>
        (await GetAsync(url, conditional: false, ct)).Body!;

    public async Task<FetchResult> GetAsync(string url, bool conditional, CancellationToken ct)
    {
        // Scheme and user name here; private addresses where the connection is made (ConnectAsync), after DNS.
        var problem = SourceAddress.Problem(url, allowPrivate: true);
        if (problem is not null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new FetchException($"cannot fetch {url}: {problem ?? SourceAddress.NotHttp}");

        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (conditional && await db.HttpValidators.AsNoTracking().SingleOrDefaultAsync(v => v.Url == url, ct) is { } validator)
        {
            if (validator.ETag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", validator.ETag);
            if (validator.LastModified is not null) request.Headers.TryAddWithoutValidation("If-Modified-Since", validator.LastModified);
        }

        await throttler.WaitTurnAsync(uri.Host, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        // The timeout covers the whole body too, so a server that drips a byte at a time cannot hold a fetch open.
        var answered = false;
        try
        {
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // Every redirect is checked before it is followed: a Location of file:, javascript: or ftp: ends the fetch
            // with one line (the handler used to throw UriFormatException, or speak HTTP to port 21).
            for (var hops = 0; (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location && hops < MaxRedirects; hops++)
            {
                response.Dispose();
                var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                    throw new FetchException($"{uri.Host} redirected to a {next.Scheme}: address, which sources may not follow");
                if (SourceAddress.Problem(next.AbsoluteUri, allowPrivate: true) is { } refused)
                    throw new FetchException($"{uri.Host} redirected to {next.Host}: {refused}");
                uri = next;
                await throttler.WaitTurnAsync(uri.Host, ct);
                using var follow = new HttpRequestMessage(HttpMethod.Get, uri);
                response = await http.SendAsync(follow, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            using var _ = response;
            answered = true;
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FetchResult(url, null, NotModified: true);
            if (response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var wait = RetryAfter(response);
                throw new FetchException($"HTTP {(int)response.StatusCode} from {uri.Host}" + (wait is { } w ? $", retry after {w.TotalSeconds:0} s" : ""), wait);
            }
            // Still a redirect after MaxRedirects hops: a loop.
            if ((int)response.StatusCode is >= 300 and < 400)
                throw new FetchException($"too many redirects from {uri.Host} (HTTP {(int)response.StatusCode} to {response.Headers.Location})");
            if (!response.IsSuccessStatusCode)
                throw new FetchException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {uri.Host}");

            var body = await ReadCappedAsync(response, settings.MaxBodyBytes, timeout.Token);
            logger.LogDebug("GET {Url}: {Status}, {Chars} characters", uri, (int)response.StatusCode, body.Length);
            return new FetchResult(url, body, false, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FetchException(answered
                ? $"the body from {uri.Host} was still incomplete after {settings.TimeoutSeconds} s"
                : $"no answer from {uri.Host} within {settings.TimeoutSeconds} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is PrivateAddressException)
        {
            throw new FetchException($"{uri.Host} resolves to a private or loopback address, which sources may not reach", inner: ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ResponseEnded || ex.InnerException is IOException)
        {
            throw new FetchException($"the response from {uri.Host} was cut off", inner: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new FetchException($"request to {uri.Host} failed: {ex.Message}", inner: ex);
        }
        catch (IOException ex)
        {
            throw new FetchException($"the response from {uri.Host} was cut off: {ex.Message}", inner: ex);
        }
        catch (InvalidDataException ex)
        {
            throw new FetchException($"the compressed response from {uri.Host} is corrupt: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Stores the validators of a response whose body was ingested, so the next fetch can be conditional.</summary>
    public async Task RememberAsync(FetchResult result, CancellationToken ct)
    {
        if (result.NotModified || (result.ETag is null && result.LastModified is null)) return;
        var validator = await db.HttpValidators.SingleOrDefaultAsync(v => v.Url == result.Url, ct);
        if (validator is null) db.HttpValidators.Add(validator = new HttpValidator { Url = result.Url });
        validator.ETag = result.ETag;
        validator.LastModified = result.LastModified;
        validator.CheckedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, long cap, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > cap)
            throw new FetchException($"body of {response.Content.Headers.ContentLength} bytes is over the {cap}-byte cap");
        // The stream is already decompressed: the cap also stops a small gzip bomb.
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > cap) throw new FetchException($"body is over the {cap}-byte cap");
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return TextDecoding.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), response.Content.Headers.ContentType?.CharSet);
        }
        catch (System.Text.DecoderFallbackException ex)
        {
            // Replacement characters would overwrite good titles already in the catalog: refuse the body, retry later.
            throw new FetchException($"the body from {response.RequestMessage?.RequestUri?.Host} is {TextDecoding.Refusal(ex)}", inner: ex);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }

    /// <summary>
    /// Connects only to public addresses unless allowed: checked on the address actually dialled,
    /// so a DNS answer that changes between check and use (rebinding) cannot slip through.
    /// </summary>
    internal static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken ct)
    {
        var allowed = SourceAddress.Reachable(await SourceAddress.AddressesAsync(context.DnsEndPoint.Host, ct), allowPrivate);
        if (allowed.Length == 0) throw new PrivateAddressException(context.DnsEndPoint.Host);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

public sealed class PrivateAddressException(string host) : IOException($"{host} resolves only to private, loopback or link-local addresses");

public static class PrivateAddresses
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] == 10 || b[0] == 0 || b[0] == 127
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] >= 224;
    }
}
