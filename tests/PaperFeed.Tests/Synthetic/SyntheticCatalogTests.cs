using System.Text.Json;
using PaperFeed.Papers;
using PaperFeed.Synthetic;

namespace PaperFeed.Tests.Synthetic;

public class SyntheticCatalogTests
{
    private static readonly SyntheticSources Sources = new(1, new Dictionary<string, int> { ["cs.AI"] = 2, ["cs.CL"] = 3, ["cs.CV"] = 4, ["cs.LG"] = 5 });
    private static readonly DateOnly LastDay = new(2026, 11, 25);

    private static string Snapshot(SyntheticPaper p) => JsonSerializer.Serialize(new
    {
        p.Paper.Id, p.Paper.ArxivId, p.Paper.Title, p.Paper.Abstract, p.Paper.Authors, p.Paper.Categories, p.Paper.Upvotes, p.Paper.PublishedAt,
        p.Paper.GithubRepo, p.Paper.Comments, Listings = p.Paper.Listings.Select(l => (l.SourceId, l.Day, l.AnnounceType)).ToList(),
        Snapshots = p.Snapshots.Select(s => (s.At, s.Upvotes)).ToList(),
    });

    [Fact]
    public void The_same_seed_gives_the_same_papers_in_any_order()
    {
        var options = new SyntheticOptions(5_000, 20, 42, LastDay);
        var first = new SyntheticCatalog(options);
        var second = new SyntheticCatalog(options);

        var forward = Enumerable.Range(0, 2_000).Select(i => Snapshot(first.Generate(i, Sources))).ToList();
        var backward = Enumerable.Range(0, 2_000).Reverse().Select(i => Snapshot(second.Generate(i, Sources))).Reverse().ToList();

        Assert.Equal(forward, backward);
        Assert.Equal(first.PapersPerDay, second.PapersPerDay);
    }

    [Fact]
    public void Another_seed_gives_other_papers()
    {
        var a = new SyntheticCatalog(new SyntheticOptions(1_000, 10, 42, LastDay));
        var b = new SyntheticCatalog(new SyntheticOptions(1_000, 10, 43, LastDay));

        var same = Enumerable.Range(0, 1_000).Count(i => a.Generate(i, Sources).Paper.Title == b.Generate(i, Sources).Paper.Title);

        Assert.True(same < 20, $"{same} of 1000 titles are the same under another seed");
    }

    [Fact]
    public void Papers_are_spread_over_days_like_arxiv_announcements()
    {
        var catalog = new SyntheticCatalog(new SyntheticOptions(70_000, 140, 42, LastDay));

        Assert.Equal(70_000, catalog.PapersPerDay.Sum());
        Assert.Equal(LastDay.AddDays(-139), catalog.FirstDay);
        var byDay = catalog.PapersPerDay.Select((n, d) => (Day: catalog.FirstDay.AddDays(d), n)).ToList();
        var weekday = byDay.Where(x => x.Day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Average(x => x.n);
        var weekend = byDay.Where(x => x.Day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday).Average(x => x.n);
        Assert.InRange(weekday, 550, 750);
        Assert.InRange(weekend / weekday, 0.1, 0.3);
        Assert.All(byDay, x => Assert.True(x.n > 0, $"{x.Day} has no papers"));
    }

    [Fact]
    public void Papers_look_like_arxiv_papers()
    {
        const int count = 20_000;
        var catalog = new SyntheticCatalog(new SyntheticOptions(count, 30, 7, LastDay));
        var papers = Enumerable.Range(0, count).Select(i => catalog.Generate(i, Sources)).ToList();

        // arXiv ids: the month of the listing day, numbered from 00001 within the month, all distinct.
        Assert.Equal(count, papers.Select(p => p.Paper.ArxivId).Distinct().Count());
        Assert.All(papers, p =>
        {
            Assert.True(ArxivId.TryParse(p.Paper.ArxivId, out _, out _), p.Paper.ArxivId);
            var day = p.Paper.Listings[0].Day;
            Assert.StartsWith($"{day.Year % 100:00}{day.Month:00}.", p.Paper.ArxivId);
            Assert.Equal(p.Paper.ArxivId, p.Paper.Key);
            Assert.Equal(TextNormalizer.TitleKey(p.Paper.Title), p.Paper.NormalizedTitle);
            Assert.NotEmpty(p.Paper.Categories);
            Assert.Equal(p.Paper.Categories[0], p.Paper.PrimaryCategory);
            Assert.True(p.Paper.PublishedAt < p.Paper.CreatedAt);
        });
        Assert.Equal("2611.00001", papers.First(p => p.Paper.Listings[0].Day.Month == 11).Paper.ArxivId);

        // Every paper is announced in at least one arXiv feed; ~7% are also on the curated Hugging Face list.
        Assert.All(papers, p => Assert.Contains(p.Paper.Listings, l => l.SourceId != Sources.HuggingFace));
        var hf = papers.Where(p => p.Paper.Listings.Any(l => l.SourceId == Sources.HuggingFace)).ToList();
        Assert.InRange(hf.Count / (double)count, 0.06, 0.08);
        Assert.All(papers.Except(hf), p => Assert.Equal(0, p.Paper.Upvotes));

        // Upvotes have a long tail: the typical HF paper has a few, some have hundreds.
        var upvotes = hf.Select(p => p.Paper.Upvotes).Order().ToList();
        Assert.InRange(upvotes[upvotes.Count / 2], 1, 4);
        Assert.True(upvotes[^1] >= 200, $"the most upvoted paper has {upvotes[^1]}");
        Assert.True(upvotes.Count(u => u >= 50) < upvotes.Count / 20);

        // Lengths like arXiv's: titles of ~10 words, abstracts of ~1,000 characters, ~5 authors.
        Assert.InRange(papers.Average(p => p.Paper.Title.Length), 40, 110);
        Assert.InRange(papers.Average(p => p.Paper.Abstract!.Length), 800, 1400);
        Assert.InRange(papers.Average(p => p.Paper.Authors.Count), 3.5, 6.5);
        Assert.InRange(papers.Max(p => p.Paper.Authors.Count), 20, 60);
        Assert.All(papers, p => Assert.Equal(p.Paper.Authors.Count, p.Paper.Authors.Distinct().Count()));

        // The topic mix: language models lead, vision next; a common word matches a large share, a rare one few.
        var llm = papers.Count(p => p.Paper.Abstract!.Contains("language model", StringComparison.OrdinalIgnoreCase) || p.Paper.Title.Contains("LLM"));
        Assert.InRange(llm / (double)count, 0.15, 0.45);
        Assert.InRange(papers.Count(p => p.Paper.Categories.Contains("cs.CV")) / (double)count, 0.15, 0.5);
        Assert.InRange(papers.Count(p => p.Paper.Abstract!.Contains(" model ", StringComparison.Ordinal)) / (double)count, 0.3, 0.95);
    }

    [Fact]
    public void Too_many_papers_for_a_month_of_arxiv_ids_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SyntheticCatalog(new SyntheticOptions(200_000, 1, 42, LastDay)));
        Assert.Contains("99,999", ex.Message);
    }
}
