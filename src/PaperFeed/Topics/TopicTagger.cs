using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperFeed.Topics;

/// <summary>What the tagger needs of a topic: curated topics match phrases, categories match arXiv codes.</summary>
public sealed record TopicDefinition(int Id, TopicKind Kind, IReadOnlyList<string> Phrases);

/// <summary>
/// Decides a paper's topics from its title, abstract, AI keywords and arXiv categories. Pure and built once
/// per set of topics: phrases are compiled into one regex per curated topic, so an overlapping match of one
/// topic ("large language model") never hides another ("language model") as it would in one big alternation.
/// A topic's regex runs only when the text holds the longest word of one of its phrases (a vectorised,
/// case-insensitive substring search): most papers mention a few topics, and the regexes were most of ingest's CPU.
/// </summary>
public sealed class TopicTagger
{
    // Fields are joined with a character that is neither a word nor a separator, so no phrase spans two fields.
    private const string FieldSeparator = " | ";
    // Between the words of a phrase: spaces, hyphens or nothing ("fine-tuning", "fine tuning", "finetuning").
    private const string Joiner = @"[\s\-\u2010\u2011]*";
    private static readonly char[] WordSeparators = [' ', '\t', '\n', '\r', '-', '\u2010', '\u2011'];
    // Non-backtracking regexes run in time linear in the text, so a loaded machine slows a match down but a
    // pathological text cannot; the timeout is a last resort, and a topic skipped by it is logged.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    private readonly (int Id, Regex Pattern, SearchValues<string> Words)[] _curated;
    private readonly Dictionary<string, List<int>> _categories;
    // Characters the regex folds onto a word's letter but ordinal case-insensitive search does not (the Kelvin sign
    // for "k"): a text holding one skips the prefilter, so the prefilter never changes a result.
    private readonly SearchValues<char> _foldedElsewhere;
    private readonly ILogger? _logger;

    private TopicTagger((int, Regex, SearchValues<string>)[] curated, Dictionary<string, List<int>> categories, SearchValues<char> foldedElsewhere, ILogger? logger)
    {
        _curated = curated;
        _categories = categories;
        _foldedElsewhere = foldedElsewhere;
        _logger = logger;
    }

    public static TopicTagger Build(IEnumerable<TopicDefinition> topics, ILogger? logger = null)
    {
        var curated = new List<(int, Regex, SearchValues<string>)>();
        var categories = new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
        var letters = new HashSet<char>();
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
                var words = topic.Phrases.Select(PhraseWord).OfType<string>().Distinct().ToArray();
                curated.Add((topic.Id, new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, MatchTimeout),
                    SearchValues.Create(words, StringComparison.OrdinalIgnoreCase)));
                letters.UnionWith(topic.Phrases.SelectMany(p => p));
            }
        }
        return new TopicTagger([.. curated], categories, FoldedElsewhere(letters), logger);
    }

    private static SearchValues<char> FoldedElsewhere(HashSet<char> letters)
    {
        if (letters.Count == 0) return SearchValues.Create("");
        var upper = letters.Select(char.ToUpperInvariant).ToHashSet();
        var anyLetter = new Regex("[" + string.Concat(letters.Select(c => $"\\u{(int)c:X4}")) + "]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var found = new List<char>();
        for (var c = '\u0080'; c < char.MaxValue; c++)
            if (!char.IsSurrogate(c) && !upper.Contains(char.ToUpperInvariant(c)) && anyLetter.IsMatch(c.ToString())) found.Add(c);
        return SearchValues.Create([.. found]);
    }

    /// <summary>The same compiled topics, logging to <paramref name="logger"/>: a built tagger is shared, its logger is not.</summary>
    public TopicTagger WithLogger(ILogger logger) => new(_curated, _categories, _foldedElsewhere, logger);

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
        var prefilter = !input.AsSpan().ContainsAny(_foldedElsewhere);
        foreach (var (id, pattern, words) in _curated)
        {
            if (prefilter && !input.AsSpan().ContainsAny(words)) continue;
            try
            {
                if (pattern.IsMatch(input)) found.Add(id);
            }
            catch (RegexMatchTimeoutException)
            {
                // One missing topic is better than a failed ingest; a retag restores it.
                _logger?.LogWarning("Tagging timed out for topic {TopicId} on \"{Title}\"; the topic was skipped (a retag adds it)", id, title);
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
        // The boundaries are consumed rather than looked around: the same matches, and a non-backtracking engine takes it.
        return alternatives.Count == 0 ? null : $@"(?:^|[^\p{{L}}\p{{N}}])(?:{string.Join('|', alternatives)})(?:$|[^\p{{L}}\p{{N}}])";
    }

    /// <summary>
    /// One phrase: words joined by <see cref="Joiner"/>, an optional plural on the last word ("LLM" → "LLMs",
    /// "process" → "processes", "policy" → "policies"). A phrase with a word of two capitals or more holds an abbreviation
    /// ("RAG", "ViT", "MoE", "SAM", "GPT-4") and keeps its case, so the words "rag", "moe" or "Sam" do not match it;
    /// "Stable Diffusion" has no such word and matches "stable diffusion".
    /// </summary>
    public static string? PhrasePattern(string phrase)
    {
        if (Words(phrase) is not var (words, abbreviation, plural)) return null;
        var body = string.Join(Joiner, words.Select(Regex.Escape));
        return abbreviation ? $"(?-i:{body}){plural}" : body + plural;
    }

    /// <summary>The longest literal word every match of the phrase contains: what the prefilter looks for.</summary>
    public static string? PhraseWord(string phrase) =>
        Words(phrase) is var (words, _, _) ? words.MaxBy(w => w.Length) : null;

    private static (string[] Words, bool Abbreviation, string Plural)? Words(string phrase)
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
        return (words, abbreviation, plural);
    }

    private static bool IsVowel(char c) => "aeiouAEIOU".Contains(c, StringComparison.Ordinal);
}
