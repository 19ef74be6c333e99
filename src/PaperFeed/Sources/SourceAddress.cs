using System.Net;
using System.Net.Sockets;

namespace PaperFeed.Sources;

/// <summary>
/// The one rule for where a source may point: checked when an administrator saves a source (so the mistake shows on the
/// form) and again by the fetcher on the first request, every redirect and every connection (the address it dials).
/// </summary>
public static class SourceAddress
{
    public const string NotHttp = "Use an http:// or https:// address.";

    /// <summary>
    /// Why <paramref name="url"/> cannot be fetched, from the address alone (no DNS); null when it can. Uri reads the
    /// host as a browser would (decimal 2852039166, hex 0xA9FEA9FE, octal 0251.0376.0251.0376 are IPv4 literals), so
    /// every spelling of an address is the address.
    /// </summary>
    public static string? Problem(string url, bool allowPrivate)
    {
        if (Parse(url) is not { } uri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            return NotHttp;
        // http://huggingface.co@169.254.169.254/ reads as huggingface.co but goes to the second host.
        if (uri.UserInfo.Length > 0) return "An address with a user name or password (user@host) is not allowed.";
        if (!allowPrivate && IPAddress.TryParse(uri.DnsSafeHost, out var literal) && PrivateAddresses.IsPrivate(literal))
            return Private(uri.Host);
        return null;
    }

    /// <summary>
    /// <see cref="Problem"/>, and then the host's DNS answer: refused when it gives only private addresses (localhost,
    /// a name pointed at 10.0.0.1). A name that does not resolve now is accepted; the fetch checks again when it runs.
    /// </summary>
    public static async Task<string?> ProblemAsync(string url, bool allowPrivate, CancellationToken ct)
    {
        var problem = Problem(url, allowPrivate);
        if (problem is not null || allowPrivate) return problem;
        var uri = Parse(url)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var addresses = await AddressesAsync(uri.DnsSafeHost, timeout.Token);
            return addresses.Length > 0 && Reachable(addresses, allowPrivate).Length == 0 ? Private(uri.Host) : null;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The addresses a host name stands for: itself when it is a literal, else the DNS answer.</summary>
    internal static async ValueTask<IPAddress[]> AddressesAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    /// <summary>The addresses a source may connect to.</summary>
    internal static IPAddress[] Reachable(IPAddress[] addresses, bool allowPrivate) =>
        allowPrivate ? addresses : addresses.Where(a => !PrivateAddresses.IsPrivate(a)).ToArray();

    // "{date}" is a placeholder of per-day sources, not part of a real address.
    private static Uri? Parse(string url) =>
        Uri.TryCreate(url.Replace("{date}", "2026-01-01", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    private static string Private(string host) =>
        $"{host} is a private, loopback or link-local address, which sources may not reach.";
}
