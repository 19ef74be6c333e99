using System.Globalization;
using System.Text;

namespace PaperFeed.Search;

/// <summary>
/// What the user asked for, read from free text: words (all required), "quoted phrases" and author:name filters.
/// Pure and total: any input gives a query or null, never an exception. Every part holds only letters, digits
/// and single spaces, so nothing the user types can act as an operator once it reaches FTS5 or tsquery.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<string> Terms, IReadOnlyList<string> Phrases, IReadOnlyList<string> Authors)
{
    /// <summary>Longer input is cut here before parsing (a paper's title fits many times over).</summary>
    public const int MaxInputLength = 1000;
    /// <summary>At most this many terms, phrases and author filters together; the rest is ignored.</summary>
    public const int MaxParts = 12;
    /// <summary>A single word is cut at this length.</summary>
    public const int MaxWordLength = 64;

    private const string AuthorPrefix = "author:";

    /// <summary>
    /// Phrases that had word parts joined by a hyphen, spelled that way ("few-shot in-context learning"): letters,
    /// digits, single spaces and single hyphens only. PostgreSQL's parser gives a hyphenated word an extra position
    /// (the whole word before its parts), so a phrase must be looked for as typed too; the key is the phrase in
    /// <see cref="Phrases"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Hyphenated { get; init; } = new Dictionary<string, string>();

    /// <summary>Every word the query looks for, for highlighting.</summary>
    public IEnumerable<string> Words => Terms.Concat(Phrases.SelectMany(p => p.Split(' '))).Distinct();

    /// <summary>The words looked for in author names.</summary>
    public IEnumerable<string> AuthorWords => Authors.SelectMany(a => a.Split(' ')).Concat(Words).Distinct();

    /// <summary>The query in the text, or null when there is nothing to search for (empty, only punctuation).</summary>
    public static SearchQuery? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (text.Length > MaxInputLength)
            text = text[..(char.IsHighSurrogate(text[MaxInputLength - 1]) ? MaxInputLength - 1 : MaxInputLength)];

        var terms = new List<string>();
        var phrases = new List<string>();
        var authors = new List<string>();
        var hyphenated = new Dictionary<string, string>();
        void AddPhrase(string chunk, List<string> words)
        {
            var phrase = string.Join(' ', words);
            AddPart(phrases, phrase);
            if (HyphenatedForm(chunk) is { } form && form != phrase) hyphenated.TryAdd(phrase, form);
        }
        var i = 0;
        while (i < text.Length && terms.Count + phrases.Count + authors.Count < MaxParts)
        {
            if (char.IsWhiteSpace(text[i]) || char.IsControl(text[i])) { i++; continue; }

            var isAuthor = string.Compare(text, i, AuthorPrefix, 0, AuthorPrefix.Length, StringComparison.OrdinalIgnoreCase) == 0
                && i + AuthorPrefix.Length < text.Length && !char.IsWhiteSpace(text[i + AuthorPrefix.Length]);
            if (isAuthor) i += AuthorPrefix.Length;

            string chunk;
            var quoted = text[i] == '"';
            if (quoted)
            {
                // An unbalanced quote runs to the end of the text.
                var end = text.IndexOf('"', i + 1);
                if (end < 0) end = text.Length;
                chunk = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '"') end++;
                chunk = text[i..end];
                i = end;
            }

            if (isAuthor)
                AddPart(authors, string.Join(' ', SplitWords(chunk)));
            else if (quoted)
            {
                var words = SplitWords(chunk);
                if (words.Count == 1) AddPart(terms, words[0]);
                else AddPhrase(chunk, words);
            }
            else
            {
                // Word parts joined by - . ' (self-attention, GPT-3.5) stay together as a phrase; other punctuation separates.
                foreach (var piece in Pieces(chunk))
                {
                    var words = SplitWords(piece);
                    if (words.Count == 1) AddPart(terms, words[0]);
                    else AddPhrase(piece, words);
                }
            }
        }

        return terms.Count + phrases.Count + authors.Count == 0
            ? null
            : new SearchQuery(terms, phrases, authors) { Hyphenated = hyphenated.Where(h => phrases.Contains(h.Key)).ToDictionary() };
    }

    private static void AddPart(List<string> parts, string part)
    {
        if (part.Length > 0 && !parts.Contains(part)) parts.Add(part);
    }

    /// <summary>The runs of letters and digits in the text, lower-cased, each cut at <see cref="MaxWordLength"/>.</summary>
    public static List<string> SplitWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                if (word.Length < MaxWordLength) word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
        if (word.Length > 0) words.Add(word.ToString());
        return words;
    }

    /// <summary>The words of the text, joined by "-" where exactly one hyphen stood between them and by " " elsewhere; null when no hyphen joined two words.</summary>
    internal static string? HyphenatedForm(string text)
    {
        var form = new StringBuilder();
        var gap = new StringBuilder();
        var joined = false;
        var words = 0;
        foreach (var word in SplitWordsWithGaps(text))
        {
            if (word.Gap is { } between)
            {
                gap.Clear().Append(between);
                continue;
            }
            if (words > 0)
            {
                var hyphen = gap.ToString() == "-";
                joined |= hyphen;
                form.Append(hyphen ? '-' : ' ');
            }
            form.Append(word.Word);
            words++;
        }
        return joined ? form.ToString() : null;
    }

    // The words of SplitWords, with the text between two words (a Gap entry) in between.
    private static IEnumerable<(string? Word, string? Gap)> SplitWordsWithGaps(string text)
    {
        var word = new StringBuilder();
        var gap = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                if (word.Length == 0 && gap.Length > 0) { yield return (null, gap.ToString()); gap.Clear(); }
                if (word.Length < MaxWordLength) word.Append(Rune.ToLowerInvariant(rune).ToString());
                continue;
            }
            if (word.Length > 0) { yield return (word.ToString(), null); word.Clear(); }
            gap.Append(rune.ToString());
        }
        if (word.Length > 0) yield return (word.ToString(), null);
    }

    private static IEnumerable<string> Pieces(string chunk)
    {
        var start = 0;
        for (var i = 0; i <= chunk.Length; i++)
        {
            if (i < chunk.Length && (IsWordChar(chunk[i]) || chunk[i] is '-' or '.' or '\'' or '’')) continue;
            if (i > start) yield return chunk[start..i];
            start = i + 1;
        }
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    internal static bool IsWordRune(Rune rune) => Rune.IsLetterOrDigit(rune)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
