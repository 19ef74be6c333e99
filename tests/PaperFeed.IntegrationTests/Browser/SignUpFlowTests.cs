using System.Globalization;
using Microsoft.Playwright;
using PaperFeed.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>From sign-up to an upvote in Chromium, with the confirmation email read from the SMTP sink the app process sends to.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignUpFlowTests(BrowserSite site)
{
    [Fact]
    public async Task A_visitor_signs_up_confirms_signs_in_and_upvotes_and_marks_papers_without_a_reload()
    {
        const string email = "browser-reader@example.org";
        var page = await site.NewPageAsync();

        await page.GotoAsync("/account/register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", TestAccounts.Password);
        await page.ClickAsync("main button[type=submit]");
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Check your inbox");

        var mail = await site.Mail.NextMessageToAsync(email, TimeSpan.FromSeconds(20));
        var link = SmtpSink.Links(mail).Single(l => l.Contains("/account/confirm", StringComparison.Ordinal));
        Assert.StartsWith(site.BaseUrl + "/account/confirm?", link, StringComparison.Ordinal);
        await page.GotoAsync(link);
        await page.ClickAsync("main button:has-text('Confirm my address')");
        await Expect(page.Locator("main [role=status]")).ToContainTextAsync("Your address is confirmed");

        await page.ClickAsync("main a:has-text('Sign in')");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", TestAccounts.Password);
        await page.ClickAsync("main button[type=submit]");
        await page.WaitForURLAsync(site.BaseUrl + "/");

        await page.GotoAsync("/papers/date/2026-06-12");
        var button = page.Locator("article.card form.vote-form button").First;
        var count = button.Locator(".vote-count");
        var before = int.Parse((await count.TextContentAsync())!, CultureInfo.InvariantCulture);
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        // A marker on the window survives only if the page is not reloaded.
        await page.EvaluateAsync("window.__samePage = true");

        await button.ClickAsync();
        await Expect(count).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await page.EvaluateAsync<bool>("window.__samePage === true"), "the vote reloaded the page");

        await page.ReloadAsync();
        await Expect(count).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");

        // Take it back (the other browser tests expect the catalog as imported).
        await button.ClickAsync();
        await Expect(count).ToHaveTextAsync(before.ToString(CultureInfo.InvariantCulture));
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");

        await page.EvaluateAsync("window.__samePage = true");
        // "Less like this" and "Not for me" (one script for both): the button becomes its undo and the card is marked, on the same page; then undone.
        foreach (var (form, undo, marked) in new[] { ("less-like-form", "Undo less like this", "less-liked"), ("not-for-me-form", "Undo not for me", "dismissed") })
        {
            var card = page.Locator("article.card").Nth(1);
            var signal = card.Locator($"form.{form} button");
            var label = await signal.TextContentAsync();
            await signal.ClickAsync();
            await Expect(signal).ToHaveTextAsync(undo);
            await Expect(signal).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex($"\\b{marked}\\b"));
            await signal.ClickAsync();
            await Expect(signal).ToHaveTextAsync(label!.Trim());
            await Expect(signal).ToHaveAttributeAsync("aria-pressed", "false");
        }
        Assert.True(await page.EvaluateAsync<bool>("window.__samePage === true"), "a mark reloaded the page");
        await page.Context.CloseAsync();
    }
}
