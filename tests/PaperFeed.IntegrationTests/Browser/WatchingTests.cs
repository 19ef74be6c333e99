using Microsoft.Playwright;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>Watching in a real Chromium: saving a paper offers to watch it, the button watches it, /account lists it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WatchingTests(BrowserSite site)
{
    [Fact]
    public async Task A_reader_saves_a_paper_is_offered_to_watch_it_and_sees_it_on_the_account_page()
    {
        var page = await site.SignedInPageAsync();
        await page.GotoAsync("/papers/2606.01002");
        Assert.Equal(0, await page.Locator(".watch-offer").CountAsync());

        // Save: a plain form post, back to the page, which now offers watching.
        await page.ClickAsync("form.save-form button");
        await page.Locator("form.save-form button.saved").WaitForAsync();
        Assert.Contains("Watch it to hear", await page.Locator(".watch-offer").TextContentAsync());

        var watch = page.Locator("form.watch-form button");
        Assert.Equal("Watch", (await watch.TextContentAsync())!.Trim());
        await watch.ClickAsync();
        await page.Locator("form.watch-form button.watching").WaitForAsync();
        Assert.Equal("Watching", (await watch.TextContentAsync())!.Trim());
        Assert.Equal("true", await watch.GetAttributeAsync("aria-pressed"));
        Assert.Equal(0, await page.Locator(".watch-offer").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.ScreenshotDir, "watch-paper-desktop.png") });

        await page.GotoAsync("/account");
        var item = page.Locator(".my-watched li").First;
        Assert.Contains("Entropy", await item.Locator("a.math").TextContentAsync());
        Assert.Equal("Watching", (await item.Locator("form.watch-form button").TextContentAsync())!.Trim());
        await page.Locator("#watched-heading").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.ScreenshotDir, "watch-account-desktop.png") });

        // Unwatch from the account page: gone from the list.
        await item.Locator("form.watch-form button").ClickAsync();
        await page.Locator("#watched-heading + p.muted").WaitForAsync();
        Assert.Equal(0, await page.Locator(".my-watched li").CountAsync());
    }
}
