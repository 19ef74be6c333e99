using System.Text;

namespace PaperFeed.Search;

/// <summary>
/// Marks the words of a query in a text, for the results page. Pure. The output is HTML: every piece of the
/// input is HTML-encoded before a &lt;mark&gt; goes around it, so the only markup in the result is ours —
/// the one kind of string a view may pass to Html.Raw.
/// </summary>
public static class Highlighter
{
    /// <summary>The whole text, encoded, with the query's words marked.</summary>
    public static string Highlight(string? text, IEnumerable<string> words)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var wanted = Stems(words);
        var html = new StringBuilder(text.Length + 32);
        foreach (var (start, length, isWord) in Segments(text))
        {
            var piece = Encode(text.AsSpan(start, length));
            if (isWord && Matches(text.Substring(start, length), wanted)) html.Append("<mark>").Append(piece).Append("</mark>");
            else html.Append(piece);
        }
        return html.ToString();
    }

    /// <summary>
    /// About <paramref name="length"/> characters of the text around its first matching word (the start when none
    /// matches), cut at word boundaries with "…" where text was left out; encoded and marked like <see cref="Highlight"/>.
    /// </summary>
    public static string Snippet(string? text, IEnumerable<string> words, int length = 280)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var wanted = Stems(words);
        var segments = Segments(text).ToList();
        var first = segments.FindIndex(s => s.IsWord && Matches(text.Substring(s.Start, s.Length), wanted));
        var from = 0;
        if (first > 0 && segments[first].Start > length / 3)
        {
            // Start a few words before the first match, at a word.
            var target = segments[first].Start - length / 4;
            from = segments.FindIndex(s => s.IsWord && s.Start >= target);
            if (from < 0 || from > first) from = first;
        }
        var startAt = segments[from].Start;
        var to = segments.FindLastIndex(s => s.IsWord && s.Start + s.Length - startAt <= length);
        if (to < from) to = from;
        var end = segments[to].Start + segments[to].Length;
        var html = new StringBuilder();
        if (startAt > 0) html.Append('…');
        html.Append(Highlight(text[startAt..end], words));
        if (end < text.Length) html.Append('…');
        return html.ToString();
    }

    /// <summary>Encodes the five characters that matter in HTML text and attributes; letters of any script stay readable.</summary>
    private static string Encode(ReadOnlySpan<char> text)
    {
        var html = new StringBuilder(text.Length);
        foreach (var c in text)
            html.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return html.ToString();
    }

    private static HashSet<string> Stems(IEnumerable<string> words) =>
        words.SelectMany(SearchQuery.SplitWords).Select(Stem).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);

    private static bool Matches(string word, HashSet<string> stems)
    {
        if (stems.Count == 0) return false;
        var lower = SearchQuery.SplitWords(word);
        if (lower.Count != 1) return false;
        // Equal stems, or a longer form of a word of four letters or more (process → processes).
        return stems.Contains(Stem(lower[0])) || stems.Any(s => s.Length >= 4 && lower[0].StartsWith(s, StringComparison.Ordinal));
    }

    /// <summary>A crude English stem, so "models" marks "model" the way both search engines (stemming) match it.</summary>
    private static string Stem(string word)
    {
        foreach (var suffix in (string[])["ations", "ation", "ings", "ing", "ies", "es", "ed", "ly", "s"])
            if (word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal))
                return word[..^suffix.Length];
        return word;
    }

    /// <summary>The text as alternating runs of word characters and everything else.</summary>
    private static IEnumerable<(int Start, int Length, bool IsWord)> Segments(string text)
    {
        var start = 0;
        bool? inWord = null;
        var i = 0;
        while (i < text.Length)
        {
            var ok = Rune.TryGetRuneAt(text, i, out var rune);
            var isWord = ok && SearchQuery.IsWordRune(rune);
            if (inWord is { } current && current != isWord)
            {
                yield return (start, i - start, current);
                start = i;
            }
            inWord = isWord;
            i += ok ? rune.Utf16SequenceLength : 1;
        }
        if (inWord is { } last) yield return (start, text.Length - start, last);
    }
}

/// <summary>A search result as the page shows it: the card, with title, authors and abstract snippet encoded and marked.</summary>
public sealed record SearchHit(PaperFeed.Papers.PaperCard Paper, string TitleHtml, string AuthorsHtml, string SnippetHtml)
{
    public static SearchHit For(PaperFeed.Papers.PaperCard paper, SearchQuery query)
    {
        var authors = string.Join(", ", paper.FirstAuthors) + (paper.MoreAuthors > 0 ? $" +{paper.MoreAuthors}" : "");
        return new SearchHit(paper, Highlighter.Highlight(paper.Title, query.Words), Highlighter.Highlight(authors, query.AuthorWords),
            Highlighter.Snippet(paper.Abstract ?? paper.AiSummary, query.Words));
    }
}
