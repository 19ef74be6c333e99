using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>D3: a feed's thumbnail on any https host was rendered (img-src https:), so a feed could count its readers.</summary>
public sealed class ThumbnailTests
{
    private const string Known = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2606.05001.png";
    private const string Tracker = "https://tracker.example/pixel.png?paper=2606.05002";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_thumbnail_on_an_unknown_host_is_not_rendered_and_the_policy_allows_only_known_image_hosts(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        var day = new DateOnly(2026, 6, 12);
        await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1,
        [
            new PaperRecord { ArxivId = "2606.05001", Title = "Known Thumbnail Host", ListDay = day, Upvotes = 5, Thumbnail = Known },
            new PaperRecord { ArxivId = "2606.05002", Title = "Tracking Pixel Thumbnail", ListDay = day, Upvotes = 4, Thumbnail = Tracker },
        ]));
        using var client = Forms.Client(app);

        foreach (var path in new[] { "/papers/date/2026-06-12", "/search?q=thumbnail", "/papers/2606.05002" })
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            var images = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll("img").Select(i => i.GetAttribute("src") ?? "").ToList();
            // Not as an image, nor as the paper page's og:image.
            Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
            if (path.StartsWith("/papers/date/", StringComparison.Ordinal)) Assert.Contains(Known, images); // search cards show none

            var imgSrc = response.Headers.GetValues("Content-Security-Policy").Single().Split(';', StringSplitOptions.TrimEntries)
                .Single(d => d.StartsWith("img-src ", StringComparison.Ordinal)).Split(' ');
            Assert.DoesNotContain("https:", imgSrc);
            Assert.Equal(["img-src", "'self'", "data:", "https://cdn-thumbnails.huggingface.co", "https://huggingface.co"], imgSrc);
        }
        // The stored address is kept (the API hands it on, as Hugging Face's does); only pages leave it out.
        Assert.Equal(Tracker, (await app.WithDbAsync(db => db.Papers.SingleAsync(p => p.ArxivId == "2606.05002"))).Thumbnail);
    }
}
