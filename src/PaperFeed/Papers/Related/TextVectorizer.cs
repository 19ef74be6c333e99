using System.Collections.Frozen;
using System.Text;

namespace PaperFeed.Papers.Related;

/// <summary>
/// Title and abstract to term counts: lower-case words, English stop words dropped, plurals folded to the singular,
/// title terms counted twice. Terms become ids by hashing into a fixed space, so no vocabulary is ever stored.
/// </summary>
public static class TextVectorizer
{
    /// <summary>Term ids live in [0, 2^TermBits): 4M buckets, a 16 MB document-frequency table; collisions are rare among the terms that matter.</summary>
    public const int TermBits = 22;
    public const int TermSpace = 1 << TermBits;
    public const int TitleWeight = 2;

    private static readonly FrozenSet<string> StopWords = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "either", "etc", "few", "for", "from", "further", "had", "has", "have",
        "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
        "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now", "of", "off",
        "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
        "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were",
        "what", "when", "where", "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without",
        "would", "yet", "you", "your",
        // Words every abstract uses; the document-frequency cut removes the rest in a large catalog.
        "paper", "propose", "proposed", "present", "show", "shows", "using", "use", "used", "based", "new", "novel",
        "approach", "method", "result", "work", "et", "al",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>The terms of a text in order, stemmed, without stop words, numbers or one-letter tokens.</summary>
    public static IEnumerable<string> Tokenize(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        var word = new StringBuilder();
        var hasLetter = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
                hasLetter |= char.IsLetter(c);
                continue;
            }
            // An apostrophe inside a word ("model's") ends it; the possessive tail is dropped with the one-letter rule.
            if (word.Length >= 2 && hasLetter)
            {
                var term = Stem(word.ToString());
                if (!StopWords.Contains(term)) yield return term;
            }
            word.Clear();
            hasLetter = false;
        }
    }

    /// <summary>Plurals to singular only ("studies" → "study", "approaches" → "approach", "models" → "model"); nothing more aggressive.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3 || StopWords.Contains(word)) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4) return word[..^3] + "y";
        if (word.EndsWith("sses", StringComparison.Ordinal)) return word[..^2];
        if (word.EndsWith("ss", StringComparison.Ordinal) || word.EndsWith("us", StringComparison.Ordinal) || word.EndsWith("is", StringComparison.Ordinal))
            return word;
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 &&
            (word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal)))
            return word[..^2];
        if (word[^1] == 's') return word[..^1];
        return word;
    }

    /// <summary>A term's id: FNV-1a of its characters folded into the term space (stable across runs and machines).</summary>
    public static int TermId(string term)
    {
        var hash = 2166136261u;
        foreach (var c in term)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash & (TermSpace - 1));
    }

    /// <summary>Weighted term counts of a paper (title terms count twice), keyed by term id.</summary>
    public static Dictionary<int, int> TermCounts(string? title, string? abstractText)
    {
        var counts = new Dictionary<int, int>();
        foreach (var term in Tokenize(title)) Add(counts, TermId(term), TitleWeight);
        foreach (var term in Tokenize(abstractText)) Add(counts, TermId(term), 1);
        return counts;
    }

    private static void Add(Dictionary<int, int> counts, int id, int weight) =>
        counts[id] = counts.TryGetValue(id, out var n) ? n + weight : weight;
}
