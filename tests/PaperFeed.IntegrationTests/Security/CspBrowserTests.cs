using System.Collections.Concurrent;
using Microsoft.Playwright;
using PaperFeed.IntegrationTests.Browser;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// The Content-Security-Policy in a real Chromium: every page, its script (keyboard moves, KaTeX, copy buttons) and the
/// digest preview's frame work under it, and the browser reports no violation, neither as an event nor on the console.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CspBrowserTests(BrowserSite site)
{
    [Fact]
    public async Task Pages_and_their_scripts_run_under_the_policy_without_a_violation()
    {
        var page = await site.NewPageAsync();
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Enqueue($"{page.Url}: {message.Text}");
        };
        // The browser's own report of each blocked script, style, frame or connection.
        await page.AddInitScriptAsync("window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");

        foreach (var path in new[]
        {
            "/", "/papers/date/2026-06-12", "/papers/week/2026-W24", "/papers/month/2026-06", "/papers/trending", "/papers/2606.02001",
            "/papers/2606.01001", "/topics", "/search?q=experts", "/subscribe", "/account/login", "/account/register", "/about/ranking",
            "/digest/preview", "/papers/date/2026-06-12?format=atom", "/no/such/page",
        })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (path == "/papers/2606.02001") await page.WaitForSelectorAsync(".abstract.math-rendered .katex");
            if (path == "/papers/date/2026-06-12")
            {
                // The site's script runs: j moves focus to the first paper.
                await page.Keyboard.PressAsync("j");
                Assert.Equal("A", await page.EvaluateAsync<string>("document.activeElement.tagName"));
            }
            if (path == "/digest/preview")
            {
                // The email inside the sandboxed frame is shown with its own styles.
                var frame = page.FrameLocator("iframe[title='The digest email']");
                Assert.True(await frame.Locator("h1").CountAsync() == 1);
                var padding = await frame.Locator("body table td").First.EvaluateAsync<string>("e => getComputedStyle(e).paddingTop");
                Assert.Equal("16px", padding);
            }
            if (!path.Contains("format=", StringComparison.Ordinal))
                foreach (var reported in await page.EvaluateAsync<string[]>("window.__csp || []")) violations.Enqueue($"{path}: {reported}");
        }

        Assert.True(violations.IsEmpty, "CSP violations:\n" + string.Join("\n", violations));

        // The policy is enforced and the check above can see it: an injected inline script does not run and is reported.
        await page.GotoAsync("/");
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }");
        await page.WaitForFunctionAsync("window.__csp.length > 0");
        Assert.True(await page.EvaluateAsync<bool>("window.__ran === undefined"));
        Assert.StartsWith("script-src", (await page.EvaluateAsync<string[]>("window.__csp"))[0], StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
