using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// Checks that markup which displays attacker-controlled text is inert, as a browser would parse it: no script but our
/// own files, no event-handler attribute, no javascript:/data:/vbscript: address, no frame, object or foreign SVG, and
/// no attribute holding a payload's code outside the plain-text ones (value, content, title…).
/// </summary>
public static class Inert
{
    private static readonly string[] TextAttributes = ["value", "content", "title", "alt", "aria-label", "placeholder", "datetime"];
    private static readonly string[] BadSchemes = ["javascript:", "data:", "vbscript:"];

    /// <param name="email">An email's HTML: its own head may hold a style element.</param>
    public static IHtmlDocument AssertHtml(string html, string where, bool email = false)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.All)
        {
            var name = element.LocalName;
            var what = $"{where}: <{name}> {Short(element.OuterHtml)}";
            switch (name)
            {
                case "script":
                    var src = element.GetAttribute("src") ?? "";
                    Assert.False(email, $"{what}: a script in an email");
                    Assert.True(src.StartsWith("/js/", StringComparison.Ordinal) || src.StartsWith("/lib/", StringComparison.Ordinal), $"{what}: a script that is not one of our files");
                    break;
                case "iframe":
                    // The digest preview's own frame: sandboxed (no scripts) and filled with the email, which is checked too.
                    Assert.False(email, what);
                    Assert.True(element.HasAttribute("sandbox") && !(element.GetAttribute("sandbox") ?? "").Contains("allow-scripts", StringComparison.Ordinal), $"{what}: an unsandboxed frame");
                    AssertHtml(element.GetAttribute("srcdoc") ?? "", where + " (preview frame)", email: true);
                    break;
                case "frame" or "frameset" or "object" or "embed" or "applet" or "base":
                    Assert.Fail($"{what}: an element that should not be there");
                    break;
                case "svg":
                    Assert.True(element.ClassList.Contains("icon") && element.GetAttribute("aria-hidden") == "true", $"{what}: an SVG that is not one of our icons");
                    break;
                case "style":
                    Assert.True(email && element.ParentElement?.LocalName == "head", $"{what}: a style element");
                    break;
                case "meta" when string.Equals(element.GetAttribute("http-equiv"), "refresh", StringComparison.OrdinalIgnoreCase):
                    Assert.Fail($"{what}: a meta refresh");
                    break;
            }
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{what}: event handler {attribute.Name}");
                var value = attribute.Value.Trim();
                Assert.False(BadSchemes.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase)), $"{what}: {attribute.Name}={value}");
                if (!TextAttributes.Contains(attribute.Name) && !attribute.Name.StartsWith("data-", StringComparison.Ordinal) && attribute.Name != "srcdoc")
                    Assert.False(value.Contains("alert(", StringComparison.Ordinal) || value.Contains("msgbox(", StringComparison.Ordinal), $"{what}: payload code in {attribute.Name}");
            }
        }
        return document;
    }

    private static string Short(string s) => s.Length <= 160 ? s : s[..160] + "…";
}
