using PaperFeed.Sources;

namespace PaperFeed.Tests.Sources;

/// <summary>D2: the rule an address must pass when a source is saved, the same one the fetcher applies.</summary>
public class SourceAddressTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://2852039166/latest/meta-data/")] // 169.254.169.254 as one decimal number
    [InlineData("http://0xA9FEA9FE/")] // … in hex
    [InlineData("http://0251.0376.0251.0376/")] // … in octal
    [InlineData("http://169.254.43518/")] // … in two parts
    [InlineData("http://10.1.2.3/feed.xml")]
    [InlineData("http://172.16.0.1/feed.xml")]
    [InlineData("http://172.31.255.254/feed.xml")]
    [InlineData("http://192.168.1.1/feed.xml")]
    [InlineData("http://127.0.0.1:8080/feed.xml")]
    [InlineData("http://127.1/feed.xml")]
    [InlineData("http://0177.0.0.1/feed.xml")]
    [InlineData("http://0.0.0.0/feed.xml")]
    [InlineData("http://[::1]/feed.xml")]
    [InlineData("http://[fd00::1]/feed.xml")]
    [InlineData("http://[fc00::1]/feed.xml")]
    [InlineData("http://[fe80::1]/feed.xml")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[::ffff:a9fe:a9fe]/")]
    [InlineData("http://[::ffff:10.0.0.1]/feed.xml")]
    [InlineData("https://169.254.169.254/papers/date/{date}")]
    public void A_private_loopback_link_local_or_metadata_address_in_any_spelling_is_refused(string url)
    {
        Assert.Contains("private, loopback or link-local", SourceAddress.Problem(url, allowPrivate: false), StringComparison.Ordinal);
        Assert.Null(SourceAddress.Problem(url, allowPrivate: true));
    }

    [Theory]
    [InlineData("http://huggingface.co@169.254.169.254/")]
    [InlineData("http://user:secret@huggingface.co/papers")]
    [InlineData("https://huggingface.co:443@10.0.0.1/")]
    [InlineData("http://%68f@127.0.0.1/")]
    public void An_address_with_a_user_name_is_refused_even_when_private_addresses_are_allowed(string url)
    {
        Assert.Equal("An address with a user name or password (user@host) is not allowed.", SourceAddress.Problem(url, allowPrivate: true));
        Assert.NotNull(SourceAddress.Problem(url, allowPrivate: false));
    }

    [Theory]
    [InlineData("ftp://example.org/feed.xml")]
    [InlineData("file:///etc/passwd")]
    [InlineData("javascript:alert(1)")]
    [InlineData("gopher://127.0.0.1:25/")]
    [InlineData("/relative/feed.xml")]
    [InlineData("huggingface.co/papers")]
    public void An_address_that_is_not_http_or_https_is_refused(string url) =>
        Assert.Equal(SourceAddress.NotHttp, SourceAddress.Problem(url, allowPrivate: true));

    [Theory]
    [InlineData("https://huggingface.co/papers/date/{date}")]
    [InlineData("http://export.arxiv.org/api/query?search_query=cat:cs.AI")]
    [InlineData("https://172.32.0.1/feed.xml")]
    [InlineData("https://8.8.8.8/feed.xml")]
    [InlineData("https://[2001:4860:4860::8888]/feed.xml")]
    public void A_public_address_is_accepted(string url) => Assert.Null(SourceAddress.Problem(url, allowPrivate: false));

    [Fact]
    public async Task A_name_that_resolves_only_to_loopback_is_refused_after_dns()
    {
        Assert.Null(SourceAddress.Problem("http://localhost:8080/feed.xml", allowPrivate: false));
        Assert.Contains("private", await SourceAddress.ProblemAsync("http://localhost:8080/feed.xml", allowPrivate: false, CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await SourceAddress.ProblemAsync("http://localhost:8080/feed.xml", allowPrivate: true, CancellationToken.None));
        // A name that does not resolve now is left to the fetch, which checks again at every connection.
        Assert.Null(await SourceAddress.ProblemAsync("https://no-such-host.invalid/feed.xml", allowPrivate: false, CancellationToken.None));
    }
}
