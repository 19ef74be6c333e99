using Deque.AxeCore.Playwright;
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

            var results = await page.RunAxe();

            var serious = results.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
                .ToList();
            Assert.True(serious.Count == 0, $"{path} ({scheme}):\n" + string.Join("\n", serious));
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
