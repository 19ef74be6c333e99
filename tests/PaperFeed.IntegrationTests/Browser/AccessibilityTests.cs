using Microsoft.Playwright;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>axe-core in Chromium: no serious or critical accessibility violation on the main pages, light and dark.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserSite site)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/papers/date/2026-06-12?tab=all")]
    [InlineData("/papers/date/2026-06-13")]
    [InlineData("/papers/week/2026-W24")]
    [InlineData("/papers/month/2026-06")]
    [InlineData("/papers/2606.01001")]
    [InlineData("/no/such/page")]
    public async Task The_page_has_no_serious_accessibility_violation(string path)
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            var page = await site.NewPageAsync(scheme: scheme);
            await page.GotoAsync(path);

            // Every rule in light; in dark only the colours, which is all the scheme changes.
            var serious = await BrowserSite.SeriousViolationsAsync(page, coloursOnly: scheme == ColorScheme.Dark);
            Assert.True(serious.Count == 0, $"{path} ({scheme}):\n" + string.Join("\n", serious));
            await page.Context.CloseAsync();
        }
    }

    /// <summary>
    /// Signed in, every card carries the vote and save forms: they must sit inside the card's links row (a form in a
    /// &lt;p&gt; closes it early and the pills fall apart), and the pages must stay accessible in both schemes.
    /// </summary>
    [Fact]
    public async Task Signed_in_pages_keep_their_cards_whole_and_accessible()
    {
        string[] paths = ["/papers/date/2026-06-12?tab=all", "/papers/week/2026-W24", "/papers/2606.01001", "/search?q=model", "/", "/account/interests", "/lab", "/account"];
        // Each scheme and each width once (light on desktop, dark on a phone): the full cross product doubled the
        // slowest browser test without checking anything new.
        foreach (var (scheme, width, name) in new[] { (ColorScheme.Light, 1280, "desktop"), (ColorScheme.Dark, 390, "phone") })
        {
            var page = await site.SignedInPageAsync(width, 900, scheme);
            foreach (var path in paths)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response!.Ok, $"{path}: {response.Status}");
                // Every vote form is inside the links row, never a sibling the parser pushed out of a paragraph.
                Assert.Equal(await page.Locator("article.card form.vote-form").CountAsync(),
                    await page.Locator("article.card .links > .vote-cluster > form.vote-form").CountAsync());
                if (path.StartsWith("/papers/date", StringComparison.Ordinal))
                {
                    Assert.True(await page.Locator("article.card .links > .vote-cluster > form.vote-form").CountAsync() > 0, "no vote form on the day page");
                    Assert.Equal(0, await page.Locator("article.card .links:empty").CountAsync());
                }
                var serious = await BrowserSite.SeriousViolationsAsync(page);
                Assert.True(serious.Count == 0, $"{path} signed in ({scheme}, {name}):\n" + string.Join("\n", serious));
                var file = path.Trim('/').Replace('/', '_').Replace('?', '_').Replace('=', '_');
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.ScreenshotDir, $"signed-in-{file}-{name}-{scheme}.png".ToLowerInvariant()) });
            }
            // The digest preferences, reached as a reader does: subscribe from the account page, then its link.
            await page.GotoAsync("/account");
            if (await page.Locator("form.digest-subscribe button").CountAsync() > 0) await page.ClickAsync("form.digest-subscribe button");
            await page.GotoAsync("/account");
            await page.ClickAsync("#digest-heading ~ p a:text-is('Preferences')");
            await page.WaitForSelectorAsync("main form");
            Assert.Contains("/digest/preferences", page.Url);
            var preferences = await BrowserSite.SeriousViolationsAsync(page);
            Assert.True(preferences.Count == 0, $"digest preferences signed in ({scheme}, {name}):\n" + string.Join("\n", preferences));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.ScreenshotDir, $"signed-in-digest-preferences-{name}-{scheme}.png".ToLowerInvariant()), FullPage = true });
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Latex_in_an_abstract_is_rendered_by_the_vendored_katex()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/papers/2606.02001");
        await page.WaitForSelectorAsync(".abstract.math-rendered .katex");

        Assert.True(await page.Locator(".abstract .katex").CountAsync() >= 1);
    }
}
