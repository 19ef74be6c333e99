using System.Text;
using PaperFeed.Papers;

namespace PaperFeed.Synthetic;

/// <summary>What to generate: how many papers over how many days ending on <see cref="LastDay"/>, from which seed.</summary>
public sealed record SyntheticOptions(int Papers, int Days, int Seed, DateOnly LastDay);

/// <summary>The catalog's sources the papers are listed by: the curated HF list and the arXiv feed of each listed category.</summary>
public sealed record SyntheticSources(int HuggingFace, IReadOnlyDictionary<string, int> ArxivByCategory);

/// <summary>One generated paper (with its listings and sources) and the upvote history trending reads.</summary>
public sealed record SyntheticPaper(Paper Paper, IReadOnlyList<UpvoteSnapshot> Snapshots);

/// <summary>
/// Generates a realistic catalog, pure and deterministic: paper i depends only on the seed, i and the day plan, so
/// batches can be made in any order. Papers are numbered by day (ids 1…n), arXiv ids run per month (2411.00001…),
/// about 7% are also on the curated Hugging Face list with long-tailed upvotes; weekdays carry ~5 times a weekend day.
/// </summary>
public sealed class SyntheticCatalog
{
    private const double HuggingFaceShare = 0.07;
    private const int RareWords = 40_000;

    private static readonly WeightedPicker ThemePicker = new(SyntheticText.Themes.Select(t => t.Weight));
    private static readonly WeightedPicker WordPicker = WeightedPicker.Zipf(SyntheticText.CommonWords.Length + RareWords, 1.05);
    private static readonly string[] RareWordList = [.. Enumerable.Range(0, RareWords).Select(SyntheticText.RareWord)];
    private static readonly string[] Openers =
    [
        "We propose", "In this paper, we study", "Existing methods for", "Our experiments show that", "To address this,", "We introduce",
        "Extensive experiments on", "Recent advances in", "Moreover,", "Finally,", "However,", "We further show that", "Unlike prior work,",
        "Specifically,", "We evaluate", "This work presents", "Building on", "Empirically,",
    ];

    private readonly SyntheticOptions _options;
    private readonly int[] _dayStart;   // index of the first paper of each day (+ one past the end)
    private readonly int[] _monthStart; // per day: index of the first paper of that day's month

    public SyntheticCatalog(SyntheticOptions options)
    {
        if (options.Papers < 1) throw new ArgumentOutOfRangeException(nameof(options), "--papers must be at least 1");
        if (options.Days < 1) throw new ArgumentOutOfRangeException(nameof(options), "--days must be at least 1");
        _options = options;
        FirstDay = options.LastDay.AddDays(1 - options.Days);
        PapersPerDay = PlanDays(options);
        _dayStart = new int[options.Days + 1];
        for (var d = 0; d < options.Days; d++) _dayStart[d + 1] = _dayStart[d] + PapersPerDay[d];
        _monthStart = new int[options.Days];
        for (var d = 0; d < options.Days; d++)
        {
            var day = FirstDay.AddDays(d);
            _monthStart[d] = d > 0 && FirstDay.AddDays(d - 1).Month == day.Month ? _monthStart[d - 1] : _dayStart[d];
            // arXiv numbers a month's papers with five digits.
            if (_dayStart[d + 1] - _monthStart[d] > 99_999)
                throw new ArgumentOutOfRangeException(nameof(options), $"more than 99,999 papers in {day:yyyy-MM}: use more --days for this many --papers");
        }
    }

    public DateOnly FirstDay { get; }

    /// <summary>Papers announced on each day, first day first (sums to the number of papers).</summary>
    public IReadOnlyList<int> PapersPerDay { get; }

    public int Count => _options.Papers;

    public DateOnly DayOf(int index)
    {
        var d = Array.BinarySearch(_dayStart, index);
        d = d >= 0 ? d : ~d - 1;
        while (d + 1 < _dayStart.Length && _dayStart[d + 1] == index && PapersPerDay[d] == 0) d++; // skip empty days
        return FirstDay.AddDays(d);
    }

    /// <summary>Weekdays weigh 1, weekends 0.2, each day ±15%; the counts are then scaled to add up to exactly the papers asked for.</summary>
    private static int[] PlanDays(SyntheticOptions options)
    {
        var random = SplitMix64.For(options.Seed, -1);
        var first = options.LastDay.AddDays(1 - options.Days);
        var weights = Enumerable.Range(0, options.Days).Select(d =>
        {
            var weekend = first.AddDays(d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            return (weekend ? 0.2 : 1.0) * (0.85 + 0.3 * random.NextDouble());
        }).ToArray();
        var total = weights.Sum();
        var exact = weights.Select(w => w / total * options.Papers).ToArray();
        var counts = exact.Select(x => (int)Math.Floor(x)).ToArray();
        // Largest remainders get the papers rounding left over.
        var left = options.Papers - counts.Sum();
        foreach (var d in Enumerable.Range(0, options.Days).OrderByDescending(d => exact[d] - counts[d]).ThenBy(d => d).Take(left))
            counts[d]++;
        return counts;
    }

    /// <summary>Paper number <paramref name="index"/> (0-based); its id is index + 1.</summary>
    public SyntheticPaper Generate(int index, SyntheticSources sources)
    {
        var random = SplitMix64.For(_options.Seed, index);
        var day = DayOf(index);
        var dayNumber = day.DayNumber - FirstDay.DayNumber;
        var sequence = index - _monthStart[dayNumber] + 1;
        var arxivId = $"{day.Year % 100:00}{day.Month:00}.{sequence:00000}";

        var theme = SyntheticText.Themes[ThemePicker.Pick(ref random)];
        var second = random.Chance(0.35) ? SyntheticText.Themes[ThemePicker.Pick(ref random)] : null;

        var categories = new List<string> { random.Chance(0.6) ? theme.Categories[0] : random.Pick(theme.Categories) };
        var extra = random.Next(0, 3);
        for (var i = 0; i < extra; i++)
        {
            var c = random.Pick((second ?? theme).Categories);
            if (!categories.Contains(c)) categories.Add(c);
        }
        // Every paper is announced in at least one of the listed feeds (a cross-list when its primary is elsewhere).
        if (!categories.Any(c => SyntheticText.ListedCategories.Contains(c))) categories.Add(random.Chance(0.7) ? "cs.LG" : "cs.AI");

        var title = Title(ref random, theme, second);
        var announced = day.ToDateTime(new TimeOnly(0, 30), DateTimeKind.Utc).AddMinutes(random.Next(0, 90));
        var submittedDaysBefore = day.DayOfWeek == DayOfWeek.Monday ? 3 : 1;
        var paper = new Paper
        {
            Id = index + 1,
            Key = arxivId,
            ArxivId = arxivId,
            Version = random.Chance(0.7) ? 1 : random.Chance(0.73) ? 2 : 3,
            Title = title,
            NormalizedTitle = TextNormalizer.TitleKey(title),
            Abstract = Abstract(ref random, theme, second),
            Authors = Authors(ref random),
            PublishedAt = day.AddDays(-submittedDaysBefore).ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc).AddMinutes(random.Next(0, 600)),
            Categories = categories,
            PrimaryCategory = categories[0],
            Comments = random.Chance(0.55) ? $"{random.Next(4, 40)} pages, {random.Next(1, 15)} figures" : random.Chance(0.2) ? $"Accepted at {random.Pick(Venues)} {day.Year}" : null,
            JournalRef = random.Chance(0.04) ? $"{random.Pick(Journals)} {random.Next(1, 60)} ({day.Year}) {random.Next(1, 900)}-{random.Next(900, 2000)}" : null,
            Doi = random.Chance(0.05) ? $"10.{random.Next(1000, 99999)}/{arxivId.Replace('.', '-')}" : null,
            MetadataFromArxiv = true,
            CreatedAt = announced,
            UpdatedAt = announced,
        };

        foreach (var category in categories.Where(c => sources.ArxivByCategory.ContainsKey(c)))
        {
            var sourceId = sources.ArxivByCategory[category];
            paper.Listings.Add(new Listing { PaperId = paper.Id, SourceId = sourceId, Day = day, AnnounceType = category == categories[0] ? "new" : "cross", FirstSeenAt = announced });
            paper.Sources.Add(new PaperSource { PaperId = paper.Id, SourceId = sourceId, FirstSeenAt = announced });
        }

        var snapshots = new List<UpvoteSnapshot>();
        var onHuggingFace = random.Chance(HuggingFaceShare);
        if (onHuggingFace)
        {
            var hfDay = day.AddDays(Math.Min(random.Next(0, 3), _options.LastDay.DayNumber - day.DayNumber));
            var seen = hfDay.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc).AddMinutes(random.Next(0, 600));
            paper.Listings.Add(new Listing { PaperId = paper.Id, SourceId = sources.HuggingFace, Day = hfDay, FirstSeenAt = seen });
            paper.Sources.Add(new PaperSource { PaperId = paper.Id, SourceId = sources.HuggingFace, FirstSeenAt = seen });
            // Pareto tail: most papers get a handful, a few get hundreds.
            paper.Upvotes = (int)Math.Min(3000, Math.Floor(1.5 / Math.Pow(1 - random.NextDouble(), 1 / 1.1)));
            paper.NumComments = random.Chance(0.3) ? random.Next(1, 2 + paper.Upvotes / 10) : 0;
            paper.SubmittedBy = $"user{random.Next(1, 5000)}";
            paper.SubmittedByName = $"{random.Pick(SyntheticText.FirstNames)} {random.Pick(SyntheticText.LastNames)}";
            if (random.Chance(0.35)) paper.Organization = paper.OrganizationName = random.Pick(SyntheticText.Organizations);
            if (random.Chance(0.6)) paper.AiSummary = Sentence(ref random, theme, second, "This paper", 14, 26);
            paper.AiKeywords = [.. theme.Phrases.Take(3)];
            if (paper.Upvotes > 0)
            {
                snapshots.Add(new UpvoteSnapshot { PaperId = paper.Id, At = seen, Upvotes = Math.Max(1, paper.Upvotes / 2) });
                if (paper.Upvotes > 1) snapshots.Add(new UpvoteSnapshot { PaperId = paper.Id, At = seen.AddHours(12), Upvotes = paper.Upvotes });
            }
        }
        if (random.Chance(onHuggingFace ? 0.4 : 0.08))
        {
            paper.GithubRepo = $"https://github.com/{random.Pick(SyntheticText.LastNames).ToLowerInvariant()}-lab/{SyntheticText.RareWord(index % RareWords)}";
            paper.GithubStars = (int)Math.Min(50_000, Math.Floor(3 / Math.Pow(1 - random.NextDouble(), 1 / 0.8)));
        }
        return new SyntheticPaper(paper, snapshots);
    }

    private static readonly string[] Venues = ["NeurIPS", "ICML", "ICLR", "CVPR", "ACL", "EMNLP", "AAAI", "ICCV", "ECCV", "KDD", "SIGIR", "CoRL"];
    private static readonly string[] Journals = ["J. Mach. Learn. Res.", "IEEE Trans. Pattern Anal. Mach. Intell.", "Trans. Mach. Learn. Res.", "Neural Comput.", "Pattern Recognit."];

    private static string Title(ref SplitMix64 random, Theme theme, Theme? second)
    {
        var phrase = Phrase(ref random, theme);
        var noun = random.Pick(SyntheticText.Nouns);
        var adjective = random.Pick(SyntheticText.Adjectives);
        var name = Capitalize(SyntheticText.RareWord(random.Next(0, RareWords)));
        var other = second is null ? random.Pick(theme.Nouns) : Phrase(ref random, second);
        return random.Next(0, 8) switch
        {
            0 => $"{name}: {adjective} {Capitalize(phrase)} via {Capitalize(other)}",
            1 => $"Towards {adjective} {Capitalize(phrase)}",
            2 => $"On the {noun} of {Capitalize(phrase)} for {Capitalize(other)}",
            3 => $"{adjective} {Capitalize(phrase)} with {Capitalize(random.Pick(SyntheticText.CommonWords))} {noun}s",
            4 => $"{name}: A {noun} for {Capitalize(phrase)}",
            5 => $"Rethinking {Capitalize(phrase)}: {adjective} {Capitalize(other)} at Scale",
            6 => $"When {Capitalize(phrase)} Meets {Capitalize(other)}",
            _ => $"{adjective} {Capitalize(other)} for {Capitalize(phrase)}: {adjective} {noun} and {random.Pick(SyntheticText.Nouns)}",
        };
    }

    private static string Phrase(ref SplitMix64 random, Theme theme) =>
        theme.Phrases.Length > 0 && random.Chance(0.8) ? random.Pick(theme.Phrases) : random.Pick(theme.Nouns);

    private static string Capitalize(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : string.Join(' ', text.Split(' ').Select(w => w.Length > 0 && char.IsLower(w[0]) ? char.ToUpperInvariant(w[0]) + w[1..] : w));

    private static string Abstract(ref SplitMix64 random, Theme theme, Theme? second)
    {
        var text = new StringBuilder(1600);
        var sentences = random.Next(5, 10);
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(Sentence(ref random, theme, second, random.Pick(Openers), 12, 28));
        }
        return text.ToString();
    }

    private static string Sentence(ref SplitMix64 random, Theme theme, Theme? second, string opener, int minWords, int maxWords)
    {
        var text = new StringBuilder(opener);
        var words = random.Next(minWords, maxWords);
        for (var w = 0; w < words; w++)
        {
            text.Append(' ');
            var roll = random.NextDouble();
            if (roll < 0.06) text.Append(Phrase(ref random, theme));
            else if (roll < 0.09 && second is not null) text.Append(Phrase(ref random, second));
            else if (roll < 0.14) text.Append(random.Pick(theme.Nouns));
            else
            {
                var rank = WordPicker.Pick(ref random);
                text.Append(rank < SyntheticText.CommonWords.Length ? SyntheticText.CommonWords[rank] : RareWordList[rank - SyntheticText.CommonWords.Length]);
            }
            if (w == words / 2 && random.Chance(0.3)) text.Append(',');
        }
        return text.Append('.').ToString();
    }

    /// <summary>Mostly 2–8 authors (mean about 5), a long tail up to 60 for large collaborations.</summary>
    private static List<string> Authors(ref SplitMix64 random)
    {
        var count = random.Chance(0.005) ? random.Next(20, 61) : 1 + (int)Math.Min(19, Math.Floor(-Math.Log(1 - random.NextDouble()) * 4));
        var authors = new List<string>(count);
        while (authors.Count < count)
        {
            var name = random.Chance(0.15)
                ? $"{random.Pick(SyntheticText.FirstNames)} {(char)('A' + random.Next(0, 26))}. {random.Pick(SyntheticText.LastNames)}"
                : $"{random.Pick(SyntheticText.FirstNames)} {random.Pick(SyntheticText.LastNames)}";
            if (!authors.Contains(name)) authors.Add(name);
        }
        return authors;
    }
}
