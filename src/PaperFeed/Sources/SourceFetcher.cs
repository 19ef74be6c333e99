using System.Net;
using Microsoft.Extensions.Options;

namespace PaperFeed.Sources;

/// <summary>A fetch that did not give a usable body: the reason in words, and how long the server asked us to wait.</summary>
public sealed class FetchException(string message, TimeSpan? retryAfter = null, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The one HTTP client of every source: User-Agent, timeout, body-size cap, Retry-After.</summary>
public sealed class SourceFetcher(HttpClient http, IOptions<SourcesOptions> options, ILogger<SourceFetcher> logger)
{
    public async Task<string> GetStringAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new FetchException($"not an http(s) address: {url}");

        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var wait = RetryAfter(response);
                throw new FetchException($"HTTP {(int)response.StatusCode} from {uri.Host}" + (wait is { } w ? $", retry after {w.TotalSeconds:0} s" : ""), wait);
            }
            if (!response.IsSuccessStatusCode)
                throw new FetchException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {uri.Host}");
            if (response.Content.Headers.ContentLength > settings.MaxBodyBytes)
                throw new FetchException($"body of {response.Content.Headers.ContentLength} bytes is over the {settings.MaxBodyBytes}-byte cap");

            var body = await ReadCappedAsync(response, settings.MaxBodyBytes, timeout.Token);
            logger.LogDebug("GET {Url}: {Status}, {Bytes} bytes", uri, (int)response.StatusCode, body.Length);
            return body;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new FetchException($"no answer from {uri.Host} within {settings.TimeoutSeconds} s");
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
    }

    private static async Task<string> ReadCappedAsync(HttpResponseMessage response, long cap, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > cap) throw new FetchException($"body is over the {cap}-byte cap");
            buffer.Write(chunk, 0, read);
        }
        if (response.Content.Headers.ContentLength is { } expected && buffer.Length < expected)
            throw new FetchException($"the response was cut off at {buffer.Length} of {expected} bytes");
        var encoding = response.Content.Headers.ContentType?.CharSet is { } charset
            ? TryEncoding(charset) : System.Text.Encoding.UTF8;
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static System.Text.Encoding TryEncoding(string charset)
    {
        try { return System.Text.Encoding.GetEncoding(charset.Trim('"')); }
        catch (ArgumentException) { return System.Text.Encoding.UTF8; }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - DateTimeOffset.UtcNow is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }
}
