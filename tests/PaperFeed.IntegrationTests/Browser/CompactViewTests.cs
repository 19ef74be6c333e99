using Microsoft.Playwright;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>
/// The compact list view in Chromium: more papers per screen than the cards, chosen by ?view=compact and remembered,
/// thumbnails that cannot load keep their place, votes and HF upvotes one cluster; accessible in both schemes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CompactViewTests(BrowserSite site)
{
    private static string BusyDayPath => $"/papers/date/{BrowserSite.BusyDay:yyyy-MM-dd}";

    /// <summary>Papers per screen while scrolling the list: the window's height over the distance from one card to the next.</summary>
    private static Task<double> PapersPerScreenAsync(IPage page) => page.EvaluateAsync<double>(
        "() => { const c = [...document.querySelectorAll('article.card')]; "
        + "return window.innerHeight / ((c[c.length - 1].getBoundingClientRect().top - c[0].getBoundingClientRect().top) / (c.length - 1)); }");

    /// <summary>Cards whose whole box is inside the first screen (under the day's heading, tabs and tools).</summary>
    private static Task<int> CardsOnFirstScreenAsync(IPage page) =>
        page.EvaluateAsync<int>("() => [...document.querySelectorAll('article.card')].filter(c => c.getBoundingClientRect().bottom <= window.innerHeight).length");

    [Fact]
    public async Task Compact_view_shows_six_or_more_papers_per_1280x800_screen_and_is_remembered()
    {
        var page = await site.NewPageAsync(1280, 800);
        await page.GotoAsync(BusyDayPath);
        var (cards, cardsFirst) = (await PapersPerScreenAsync(page), await CardsOnFirstScreenAsync(page));

        var compactLink = await page.GetAttributeAsync("nav.view-switch a:text-is('Compact')", "href");
        Assert.Equal(BusyDayPath + "?view=compact", compactLink);
        await page.GotoAsync(compactLink!);
        var (compact, compactFirst) = (await PapersPerScreenAsync(page), await CardsOnFirstScreenAsync(page));

        Console.WriteLine($"1280x800, {BusyDayPath}: cards {cards:0.0} per screen ({cardsFirst} on the first), compact {compact:0.0} ({compactFirst} on the first)");
        Assert.True(compact >= 6, $"compact view: {compact:0.0} papers per screen (cards: {cards:0.0})");
        Assert.True(compact >= 1.5 * cards, $"compact {compact:0.0}, cards {cards:0.0}");
        // Remembered: the plain address opens compact again, until the reader picks the cards.
        await page.GotoAsync(BusyDayPath);
        Assert.Equal(1, await page.Locator("div.cards.compact").CountAsync());
        await page.GotoAsync((await page.GetAttributeAsync("nav.view-switch a:text-is('Cards')", "href"))!);
        await page.GotoAsync(BusyDayPath);
        Assert.Equal(0, await page.Locator("div.cards.compact").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_thumbnail_that_cannot_load_keeps_its_place_and_votes_sit_in_one_cluster()
    {
        // The test browser reaches nothing but the site: every HF thumbnail fails, as a blocked CDN would.
        var page = await site.NewPageAsync(1280, 800);
        await page.GotoAsync(BusyDayPath);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var frames = await page.EvaluateAsync<double[][]>(
            "() => [...document.querySelectorAll('article.card .thumb-frame')].map(f => { const r = f.getBoundingClientRect(); return [r.width, r.height]; })");
        Assert.Equal(BrowserSite.BusyDayCount, frames.Length);
        Assert.All(frames, f => Assert.True(f[0] >= 150 && f[1] >= 80, $"frame {f[0]}x{f[1]}"));

        // Our votes and HF's upvotes: one group, in that order, in every card that has both.
        var clusters = page.Locator("article.card .links > .vote-cluster[role=group]");
        Assert.Equal(BrowserSite.BusyDayCount, await clusters.CountAsync());
        Assert.Equal(BrowserSite.BusyDayCount, await page.Locator("article.card .vote-cluster > .vote + .upvotes").CountAsync());
        Assert.Equal(0, await page.Locator("article.card .links > .upvotes").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Compact_lists_are_accessible_signed_in_and_out_on_desktop_and_phone()
    {
        string[] paths = [BusyDayPath + "?view=compact", "/papers/week/2026-W24?view=compact", "/search?q=model&view=compact"];
        // Each of signed in/out, light/dark and desktop/phone once (the full four combinations cost 12 axe passes, the
        // slowest browser test, and checked no markup the two below do not).
        foreach (var (signedIn, scheme, width, name) in new[] { (true, ColorScheme.Light, 1280, "desktop"), (false, ColorScheme.Dark, 390, "phone") })
        {
            var page = signedIn ? await site.SignedInPageAsync(width, 800, scheme) : await site.NewPageAsync(width, 800, scheme);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Ok, $"{path}: {response.Status}");
                Assert.Equal(1, await page.Locator("div.cards.compact").CountAsync());
                // Nothing wider than the screen (a one-line meta once pushed the list past 390 px).
                Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways at {width} px");
                var serious = await BrowserSite.SeriousViolationsAsync(page);
                Assert.True(serious.Count == 0, $"{path} ({(signedIn ? "signed in" : "signed out")}, {scheme}, {name}):\n" + string.Join("\n", serious));
                var file = path.Trim('/').Replace('/', '_').Replace('?', '_').Replace('=', '_').Replace('&', '_');
                await page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = Path.Combine(site.ScreenshotDir, $"compact-{(signedIn ? "in" : "out")}-{file}-{name}-{scheme}.png".ToLowerInvariant()),
                });
            }
            await page.Context.CloseAsync();
        }
    }
}
