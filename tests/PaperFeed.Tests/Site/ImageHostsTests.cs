using PaperFeed.Site;

namespace PaperFeed.Tests.Site;

/// <summary>D3: only thumbnails on the source kinds' own image hosts are shown, and the policy allows only those.</summary>
public class ImageHostsTests
{
    [Theory]
    [InlineData("https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.01001.png", true)]
    [InlineData("https://huggingface.co/front/thumbnails/papers/2606.01001.png", true)]
    [InlineData("https://tracker.example/pixel.png?reader=1", false)]
    [InlineData("https://cdn-thumbnails.huggingface.co.evil.example/x.png", false)]
    [InlineData("https://evilhuggingface.co/x.png", false)]
    [InlineData("https://huggingface.co@tracker.example/x.png", false)]
    [InlineData("https://huggingface.co:8443/x.png", false)]
    [InlineData("http://cdn-thumbnails.huggingface.co/x.png", false)]
    [InlineData("data:image/png;base64,AAAA", false)]
    [InlineData(null, false)]
    public void Only_https_thumbnails_on_a_known_host_are_shown(string? url, bool shown) =>
        Assert.Equal(shown ? url : null, ImageHosts.Allowed(url));

    [Fact]
    public void The_policy_allows_images_from_the_known_hosts_only()
    {
        var imgSrc = SecurityHeaders.ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith("img-src ", StringComparison.Ordinal));
        Assert.Equal("img-src 'self' data: https://cdn-thumbnails.huggingface.co https://huggingface.co", imgSrc);
    }
}
