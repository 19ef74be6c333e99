using PaperFeed.Papers;
using PaperFeed.Sources;

namespace PaperFeed.Tests.Papers;

public class PaperMergeTests
{
    private static Paper NewPaper(string title = "Quiet Gradients") => new()
    {
        Key = "2606.04101",
        ArxivId = "2606.04101",
        Title = title,
        NormalizedTitle = TextNormalizer.TitleKey(title),
    };

    private static PaperRecord HfRecord(string title = "Quiet Gradients") => new()
    {
        ArxivId = "2606.04101",
        Title = title,
        Abstract = "We study gradient noise.",
        Authors = ["Lena Kovač", "Tomás Ibarra"],
        Upvotes = 42,
        NumComments = 3,
        GithubRepo = "https://github.com/example-lab/quiet-gradients",
        GithubStars = 128,
        Organization = "example-lab",
        OrganizationName = "Example Research Lab",
        AiSummary = "Cuts gradient noise.",
        AiKeywords = ["gradient noise"],
        SubmittedBy = "lkovac",
    };

    [Fact]
    public void A_first_record_fills_the_paper_and_reports_a_change()
    {
        var paper = NewPaper();

        Assert.True(PaperMerge.Apply(paper, HfRecord()));

        Assert.Equal("We study gradient noise.", paper.Abstract);
        Assert.Equal(["Lena Kovač", "Tomás Ibarra"], paper.Authors);
        Assert.Equal(42, paper.Upvotes);
        Assert.Equal("https://github.com/example-lab/quiet-gradients", paper.GithubRepo);
        Assert.Equal("Example Research Lab", paper.OrganizationName);
        Assert.Equal(["gradient noise"], paper.AiKeywords);
    }

    [Fact]
    public void Applying_the_same_record_twice_changes_nothing_the_second_time()
    {
        var paper = NewPaper();
        var record = HfRecord();

        Assert.True(PaperMerge.Apply(paper, record));
        Assert.False(PaperMerge.Apply(paper, record));
    }

    [Fact]
    public void Null_and_empty_values_never_overwrite_stored_ones()
    {
        var paper = NewPaper();
        PaperMerge.Apply(paper, HfRecord());

        var sparse = new PaperRecord
        {
            ArxivId = "2606.04101",
            Title = "Quiet Gradients",
            Abstract = "",
            Authors = [],
            GithubRepo = null,
            GithubStars = null,
            Upvotes = null,
            Organization = " ",
            AiSummary = null,
            AiKeywords = [],
            SubmittedBy = "",
        };

        Assert.False(PaperMerge.Apply(paper, sparse));

        Assert.Equal("We study gradient noise.", paper.Abstract);
        Assert.Equal(["Lena Kovač", "Tomás Ibarra"], paper.Authors);
        Assert.Equal("https://github.com/example-lab/quiet-gradients", paper.GithubRepo);
        Assert.Equal(128, paper.GithubStars);
        Assert.Equal(42, paper.Upvotes);
        Assert.Equal("example-lab", paper.Organization);
        Assert.Equal("Cuts gradient noise.", paper.AiSummary);
        Assert.Equal(["gradient noise"], paper.AiKeywords);
        Assert.Equal("lkovac", paper.SubmittedBy);
    }

    [Fact]
    public void An_upvote_change_is_a_change()
    {
        var paper = NewPaper();
        PaperMerge.Apply(paper, HfRecord());

        Assert.True(PaperMerge.Apply(paper, HfRecord() with { Upvotes = 43 }));
        Assert.Equal(43, paper.Upvotes);
    }

    [Fact]
    public void Upvotes_dropping_to_zero_are_stored()
    {
        var paper = NewPaper();
        PaperMerge.Apply(paper, HfRecord());

        Assert.True(PaperMerge.Apply(paper, HfRecord() with { Upvotes = 0 }));
        Assert.Equal(0, paper.Upvotes);
    }

    [Fact]
    public void An_arxiv_record_overwrites_a_title_from_hugging_face()
    {
        var paper = NewPaper("Quiet gradients (HF)");
        PaperMerge.Apply(paper, HfRecord("Quiet gradients (HF)"));

        var changed = PaperMerge.Apply(paper, new PaperRecord { ArxivId = "2606.04101", Title = "Quiet Gradients: Low-Noise Training", FromArxiv = true });

        Assert.True(changed);
        Assert.Equal("Quiet Gradients: Low-Noise Training", paper.Title);
        Assert.Equal("quiet gradients low noise training", paper.NormalizedTitle);
        Assert.True(paper.MetadataFromArxiv);
    }

    [Fact]
    public void Once_arxiv_supplied_the_metadata_a_hugging_face_record_no_longer_changes_the_title_but_still_updates_its_counts()
    {
        var paper = NewPaper();
        PaperMerge.Apply(paper, new PaperRecord { ArxivId = "2606.04101", Title = "Quiet Gradients: Low-Noise Training", Authors = ["Lena Kovač"], FromArxiv = true });

        var changed = PaperMerge.Apply(paper, HfRecord("Quiet gradients (HF title)") with { Upvotes = 50 });

        Assert.True(changed);
        Assert.Equal("Quiet Gradients: Low-Noise Training", paper.Title);
        Assert.Equal("quiet gradients low noise training", paper.NormalizedTitle);
        Assert.Equal(["Lena Kovač"], paper.Authors);
        Assert.Equal(50, paper.Upvotes);
        Assert.True(paper.MetadataFromArxiv);
    }

    [Fact]
    public void Once_arxiv_supplied_the_metadata_a_hugging_face_record_only_fills_a_missing_abstract()
    {
        var paper = NewPaper();
        PaperMerge.Apply(paper, new PaperRecord { ArxivId = "2606.04101", Title = "Quiet Gradients", FromArxiv = true });

        PaperMerge.Apply(paper, HfRecord() with { Abstract = "HF abstract." });
        Assert.Equal("HF abstract.", paper.Abstract);

        PaperMerge.Apply(paper, new PaperRecord { ArxivId = "2606.04101", Title = "Quiet Gradients", Abstract = "arXiv abstract.", FromArxiv = true });
        PaperMerge.Apply(paper, HfRecord() with { Abstract = "Another HF abstract." });
        Assert.Equal("arXiv abstract.", paper.Abstract);
    }

    [Fact]
    public void The_version_only_increases()
    {
        var paper = NewPaper();

        Assert.True(PaperMerge.Apply(paper, new PaperRecord { Title = "Quiet Gradients", Version = 3, FromArxiv = true }));
        Assert.Equal(3, paper.Version);

        Assert.False(PaperMerge.Apply(paper, new PaperRecord { Title = "Quiet Gradients", Version = 2, FromArxiv = true }));
        Assert.Equal(3, paper.Version);

        Assert.True(PaperMerge.Apply(paper, new PaperRecord { Title = "Quiet Gradients", Version = 4, FromArxiv = true }));
        Assert.Equal(4, paper.Version);
    }

    [Fact]
    public void An_arxiv_id_is_set_once_and_never_replaced()
    {
        var paper = new Paper { Key = "title:quiet gradients", Title = "Quiet Gradients", NormalizedTitle = "quiet gradients" };

        Assert.True(PaperMerge.Apply(paper, new PaperRecord { Title = "Quiet Gradients", ArxivId = "2606.04101" }));
        Assert.Equal("2606.04101", paper.ArxivId);

        PaperMerge.Apply(paper, new PaperRecord { Title = "Quiet Gradients", ArxivId = "2606.09999" });
        Assert.Equal("2606.04101", paper.ArxivId);
    }

    [Fact]
    public void A_paper_made_from_a_record_is_left_unchanged_by_it_and_its_fingerprint_follows_every_merged_field()
    {
        var catalog = new PaperFeed.Synthetic.SyntheticCatalog(new PaperFeed.Synthetic.SyntheticOptions(2_000, 10, 3, new DateOnly(2026, 11, 25)));
        var sources = new PaperFeed.Synthetic.SyntheticSources(1, new Dictionary<string, int> { ["cs.AI"] = 2 });
        var now = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc);
        var fingerprints = new HashSet<long>();
        for (var i = 0; i < catalog.Count; i++)
        {
            var record = PaperMerge.ToRecord(catalog.Generate(i, sources).Paper) with { FromArxiv = i % 2 == 0 };
            var paper = PaperMerge.FromRecord(record, record.ArxivId!, now);
            // Ingest skips a paper whose fingerprint equals the record's: that is sound only if the record would change nothing.
            Assert.False(PaperMerge.WouldChange(paper, record), $"paper {i}");
            Assert.Equal(PaperMerge.Fingerprint(paper), PaperMerge.Fingerprint(PaperMerge.FromRecord(record, record.ArxivId!, now.AddDays(1))));
            fingerprints.Add(PaperMerge.Fingerprint(paper));
        }
        Assert.Equal(catalog.Count, fingerprints.Count);

        var baseline = PaperMerge.FromRecord(new PaperRecord { ArxivId = "2606.00001", Title = "T", Abstract = "A", Authors = ["X", "Y"] }, "2606.00001", now);
        var variants = new Action<Paper>[]
        {
            p => p.Title = "T2", p => p.Abstract = null, p => p.Abstract = "", p => p.Authors = ["X"], p => p.Authors = ["XY"],
            p => p.Version = 1, p => p.Upvotes = 1, p => p.GithubStars = 0, p => p.MetadataFromArxiv = true, p => p.Key = "title:x",
            p => p.PublishedAt = now, p => p.Categories = ["cs.AI"], p => p.AiKeywords = ["X", "Y"], p => p.Doi = "10.1/x",
        };
        var seen = new HashSet<long> { PaperMerge.Fingerprint(baseline) };
        foreach (var change in variants)
        {
            var copy = PaperMerge.FromRecord(new PaperRecord { ArxivId = "2606.00001", Title = "T", Abstract = "A", Authors = ["X", "Y"] }, "2606.00001", now);
            change(copy);
            Assert.True(seen.Add(PaperMerge.Fingerprint(copy)));
        }
        // Counts, flags and dates the merge rule never reads are not part of it.
        baseline.VoteCount = 9; baseline.Hidden = true; baseline.TrendingScore = 2; baseline.UpdatedAt = now.AddDays(3);
        Assert.Contains(PaperMerge.Fingerprint(baseline), seen);
    }
}
