using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>A form as the browser would send it: its address and its fields, the antiforgery token included.</summary>
public sealed record HtmlForm(string Action, Dictionary<string, string> Fields)
{
    public const string TokenField = "__RequestVerificationToken";
}

/// <summary>
/// Submits a page's form the way a browser does: GET the page (the client keeps the antiforgery cookie),
/// read the form's fields and token, POST them form-urlencoded. Use a client from <see cref="Client"/>.
/// </summary>
public static class Forms
{
    /// <summary>A client that keeps cookies and does not follow redirects, so a test sees where a POST sends it.</summary>
    public static HttpClient Client(PaperFeedApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static async Task<HtmlForm> FindFormAsync(this HttpClient client, string pagePath, string formSelector)
    {
        var page = await client.GetPageAsync(pagePath);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form {formSelector} on {pagePath}");
        var fields = new Dictionary<string, string>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "checkbox" or "radio" && !input.IsChecked) break;
                    // The first value wins, as in model binding: a checked box before ASP.NET's hidden "false".
                    fields.TryAdd(input.Name, input.Value);
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.TryAdd(select.Name, select.Value ?? "");
                    break;
                case IHtmlTextAreaElement text when !string.IsNullOrEmpty(text.Name):
                    fields.TryAdd(text.Name, text.Value);
                    break;
            }
        }
        var action = form.GetAttribute("action");
        return new HtmlForm(string.IsNullOrEmpty(action) ? pagePath : action, fields);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, HtmlForm form,
        IReadOnlyDictionary<string, string>? values = null)
    {
        var fields = new Dictionary<string, string>(form.Fields);
        foreach (var (name, value) in values ?? new Dictionary<string, string>()) fields[name] = value;
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(form.Action, content);
    }

    /// <summary>GET the page, fill the form found by <paramref name="formSelector"/> with <paramref name="values"/>, POST it.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pagePath, string formSelector,
        IReadOnlyDictionary<string, string>? values = null) =>
        await client.PostFormAsync(await client.FindFormAsync(pagePath, formSelector), values);

    /// <summary>Where a POST redirected to (the Location header), asserting it did redirect.</summary>
    public static string RedirectTarget(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>The vote form of a paper's card on <paramref name="pagePath"/>.</summary>
    public static Task<HtmlForm> VoteFormAsync(HttpClient client, string pagePath, long paperId) =>
        client.FindFormAsync(pagePath, $"form.vote-form[action='/vote/{paperId}']");
}
