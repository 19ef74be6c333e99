using System.Text;
using System.Text.RegularExpressions;

namespace PaperFeed.Topics;

/// <summary>What the tagger needs of a topic: curated topics match phrases, categories match arXiv codes.</summary>
public sealed record TopicDefinition(int Id, TopicKind Kind, IReadOnlyList<string> Phrases);

/// <summary>
/// Decides a paper's topics from its title, abstract, AI keywords and arXiv categories. Pure and built once
/// per set of topics: phrases are compiled into one regex per curated topic, so an overlapping match of one
/// topic ("large language model") never hides another ("language model") as it would in one big alternation.
/// </summary>
public sealed class TopicTagger
{
    // Fields are joined with a character that is neither a word nor a separator, so no phrase spans two fields.
    private const string FieldSeparator = " | ";
    // Between the words of a phrase: spaces, hyphens or nothing ("fine-tuning", "fine tuning", "finetuning").
    private const string Joiner = @"[\s\-\u2010\u2011]*";
    private static readonly char[] WordSeparators = [' ', '\t', '\n', '\r', '-', '\u2010', '\u2011'];
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly (int Id, Regex Pattern)[] _curated;
    private readonly Dictionary<string, List<int>> _categories;

    private TopicTagger((int, Regex)[] curated, Dictionary<string, List<int>> categories)
    {
        _curated = curated;
        _categories = categories;
    }

    public static TopicTagger Build(IEnumerable<TopicDefinition> topics)
    {
        var curated = new List<(int, Regex)>();
        var categories = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        foreach (var topic in topics)
        {
            if (topic.Kind == TopicKind.Category)
            {
                foreach (var code in topic.Phrases.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()))
                {
                    if (!categories.TryGetValue(code, out var ids)) categories[code] = ids = [];
                    ids.Add(topic.Id);
                }
            }
            else if (TopicPattern(topic.Phrases) is { } pattern)
            {
                curated.Add((topic.Id, new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout)));
            }
        }
        return new TopicTagger([.. curated], categories);
    }

    /// <summary>The ids of the topics a paper is about.</summary>
    public HashSet<int> Tag(string? title, string? summary, IEnumerable<string>? keywords, IEnumerable<string>? categories)
    {
        var found = new HashSet<int>();
        foreach (var category in categories ?? [])
            if (_categories.TryGetValue(category.Trim(), out var ids)) found.UnionWith(ids);
        if (_curated.Length == 0) return found;

        var text = new StringBuilder().Append(title).Append(FieldSeparator).Append(summary);
        foreach (var keyword in keywords ?? []) text.Append(FieldSeparator).Append(keyword);
        var input = text.ToString();
        foreach (var (id, pattern) in _curated)
        {
            try
            {
                if (pattern.IsMatch(input)) found.Add(id);
            }
            catch (RegexMatchTimeoutException)
            {
                // A starved CPU or a pathological text: one missing topic is better than a failed ingest.
            }
        }
        return found;
    }

    /// <summary>
    /// The regex of a topic: any of its phrases, as whole words (no letter or digit on either side, so "PPO" is
    /// not found in "opposed"); null when it has no usable phrase.
    /// </summary>
    public static string? TopicPattern(IEnumerable<string> phrases)
    {
        var alternatives = phrases.Select(PhrasePattern).OfType<string>().Distinct().ToList();
        return alternatives.Count == 0 ? null : $@"(?<![\p{{L}}\p{{N}}])(?:{string.Join('|', alternatives)})(?![\p{{L}}\p{{N}}])";
    }

    /// <summary>
    /// One phrase: words joined by <see cref="Joiner"/>, an optional plural on the last word ("LLM" → "LLMs",
    /// "process" → "processes", "policy" → "policies"). A phrase with a word of two capitals or more holds an abbreviation
    /// ("RAG", "ViT", "MoE", "SAM", "GPT-4") and keeps its case, so the words "rag", "moe" or "Sam" do not match it;
    /// "Stable Diffusion" has no such word and matches "stable diffusion".
    /// </summary>
    public static string? PhrasePattern(string phrase)
    {
        var words = phrase.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return null;
        var abbreviation = words.Any(w => w.Count(char.IsUpper) >= 2);
        var last = words[^1];
        var plural = "";
        if (char.IsLetter(last[^1]))
        {
            if (!abbreviation && last.Length > 2 && last[^1] is 'y' or 'Y' && !IsVowel(last[^2]))
            {
                words[^1] = last[..^1];
                plural = "(?:y|ies)";
            }
            else plural = "(?:e?s)?";
        }
        var body = string.Join(Joiner, words.Select(Regex.Escape));
        return abbreviation ? $"(?-i:{body}){plural}" : body + plural;
    }

    private static bool IsVowel(char c) => "aeiouAEIOU".Contains(c, StringComparison.Ordinal);
}
