using System.Globalization;
using System.Text;

namespace PaperFeed.Papers;

public static class TextNormalizer
{
    /// <summary>Collapses every run of whitespace (arXiv's hard wraps included) into one space.</summary>
    public static string Whitespace(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    public static string? WhitespaceOrNull(string? text)
    {
        if (text is null) return null;
        var normalized = Whitespace(text);
        return normalized.Length == 0 ? null : normalized;
    }

    /// <summary>The form used to match a paper by title: lower case, letters and digits only, single spaces, no accents.</summary>
    public static string TitleKey(string title)
    {
        var decomposed = title.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
                sb.Append(char.ToLowerInvariant(c));
            }
            else pendingSpace = sb.Length > 0;
        }
        return sb.ToString();
    }

    /// <summary>
    /// A scraped link kept only when it is an absolute http(s) address: pages put links in href and src, where a
    /// <c>javascript:</c> or <c>data:</c> address would run or show whatever the source wrote. Anything else is "not said".
    /// </summary>
    public static string? WebUrl(string? link) =>
        Uri.TryCreate(link?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? link!.Trim()
            : null;
}
