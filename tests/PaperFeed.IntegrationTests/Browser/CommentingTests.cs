using Microsoft.Playwright;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>The discussion in a real Chromium: a reader comments, with a script in it that never runs, and replies.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CommentingTests(BrowserSite site)
{
    [Fact]
    public async Task A_reader_comments_and_replies_and_a_script_in_the_comment_stays_text()
    {
        var page = await site.SignedInPageAsync(scheme: ColorScheme.Dark);
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        await page.GotoAsync("/papers/2606.01001");
        await page.FillAsync("#handle", "reader");
        await page.FillAsync("#comment-body", "**Great** ablations, see [the code](https://github.com/a/b).\n\n<img src=x onerror=alert(1)><script>alert(2)</script>");
        await Task.WhenAll(page.WaitForURLAsync("**/papers/2606.01001#c-*"), page.ClickAsync("#discussion > form.comment-form button[type=submit]"));

        var comment = page.Locator("ol.comments > li > article.comment").First;
        Assert.Equal("reader", (await comment.Locator(".comment-author").TextContentAsync())!.Trim());
        Assert.Equal("Great", await comment.Locator(".comment-body strong").TextContentAsync());
        Assert.Contains("<script>alert(2)</script>", await comment.Locator(".comment-body").TextContentAsync());
        Assert.Equal("nofollow ugc noopener", await comment.Locator(".comment-body a").GetAttributeAsync("rel"));

        // Reply without any script of ours: <details> opens, the form posts, the page comes back to the reply.
        await comment.Locator("details.comment-reply summary").ClickAsync();
        await comment.Locator("details.comment-reply textarea").FillAsync("Replying to myself: the *numbers* hold.");
        await Task.WhenAll(page.WaitForURLAsync("**/papers/2606.01001#c-*"), comment.Locator("details.comment-reply button[type=submit]").ClickAsync());
        Assert.Equal("numbers", await page.Locator("ol.replies .comment-body em").First.TextContentAsync());
        Assert.Contains("(2 comments)", await page.Locator("#discussion-heading").TextContentAsync());
        Assert.Equal(0, dialogs);

        await page.Locator("#discussion").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(site.ScreenshotDir, "discussion-desktop-dark.png") });
    }
}
