using Microsoft.Playwright;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>The main reading flows in a real Chromium, as a visitor would click through them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MainFlowTests(BrowserSite site)
{
    [Fact]
    public async Task A_reader_moves_from_today_to_the_previous_day_to_the_week_and_opens_a_paper()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Equal("Tuesday, 16 June 2026", (await page.Locator("h1").TextContentAsync())!.Trim());

        await page.ClickAsync("a[rel=prev] >> nth=0");
        await page.WaitForURLAsync("**/papers/date/2026-06-15");
        await page.ClickAsync("a[rel=prev] >> nth=0");
        await page.WaitForURLAsync("**/papers/date/2026-06-12");
        Assert.Equal("Friday, 12 June 2026", (await page.Locator("h1").TextContentAsync())!.Trim());
        Assert.Equal(3, await page.Locator("article.card").CountAsync());

        await page.ClickAsync("nav.period-switch >> text=Week");
        await page.WaitForURLAsync("**/papers/week/2026-W24");
        Assert.Equal(3, await page.Locator("article.card").CountAsync());

        await page.ClickAsync("text=Sparse Mixtures of Tiny Experts for Long-Context Reasoning");
        await page.WaitForURLAsync("**/papers/2606.01001");
        Assert.Contains("with a fraction of the compute of dense models", await page.Locator(".abstract").TextContentAsync());

        // A related paper, computed by the background job, is one click away.
        var related = page.Locator(".related-list a").First;
        var relatedTitle = (await related.TextContentAsync())!.Trim();
        await related.ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith("/papers/2606.01001", StringComparison.Ordinal));
        Assert.Equal(relatedTitle, (await page.Locator("h1").TextContentAsync())!.Trim());
    }

    [Fact]
    public async Task A_reader_picks_a_topic_then_searches_from_the_header()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("nav.site-nav >> text=Topics");
        await page.WaitForURLAsync("**/topics");
        await page.WaitForLoadStateAsync(LoadState.Load);
        // Click and wait for the navigation it starts together, so a slow machine cannot miss it.
        await Task.WhenAll(page.WaitForURLAsync("**/topics/reasoning"), page.ClickAsync("a[href='/topics/reasoning']"));
        Assert.Contains("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", await page.Locator("main").TextContentAsync());

        await page.FillAsync("#header-q", "symmetries");
        await page.PressAsync("#header-q", "Enter");
        await page.WaitForURLAsync("**/search?q=symmetries");
        Assert.Contains("symmetries", await page.Locator("main mark").AllTextContentsAsync());
        Assert.Contains("Symmetry-Aware Reward Models", await page.Locator("main").TextContentAsync());
    }

    [Fact]
    public async Task Keyboard_j_and_k_move_between_papers()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/papers/date/2026-06-12");

        await page.Keyboard.PressAsync("j");
        var first = await page.EvaluateAsync<string>("document.activeElement.textContent.trim()");
        await page.Keyboard.PressAsync("j");
        var second = await page.EvaluateAsync<string>("document.activeElement.textContent.trim()");
        await page.Keyboard.PressAsync("k");
        var back = await page.EvaluateAsync<string>("document.activeElement.textContent.trim()");

        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", first);
        Assert.Equal("Symmetry-Aware Reward Models", second);
        Assert.Equal(first, back);
    }

    [Fact]
    public async Task Pages_work_without_javascript()
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.BaseUrl, JavaScriptEnabled = false });
        await context.RouteAsync(url => !url.StartsWith(site.BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/papers/date/2026-06-12?tab=all");

        await page.ClickAsync("text=Symmetry-Aware Reward Models");
        await page.WaitForURLAsync("**/papers/2606.01003");
        Assert.Equal("Symmetry-Aware Reward Models", (await page.Locator("h1").TextContentAsync())!.Trim());
    }

    [Theory]
    [InlineData("/", "home")]
    [InlineData("/papers/date/2026-06-12", "day")]
    [InlineData("/papers/week/2026-W24", "week")]
    [InlineData("/papers/2606.01001", "paper")]
    public async Task Screenshots_of_the_main_pages_at_desktop_and_phone_widths_in_light_and_dark(string path, string name)
    {
        foreach (var (width, height, device) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var page = await site.NewPageAsync(width, height, scheme);
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            // Nothing may overflow the viewport sideways on a phone.
            var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"{path} scrolls sideways at {width}px");
            var file = Path.Combine(site.ScreenshotDir, $"{name}-{device}-{scheme.ToString().ToLowerInvariant()}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
            Assert.True(new FileInfo(file).Length > 5_000, "the screenshot is blank");
            await page.Context.CloseAsync();
        }
    }
}
