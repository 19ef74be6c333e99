using PaperFeed.ForYou;
using PaperFeed.Papers.Related;

namespace PaperFeed.Tests.ForYou;

public sealed class ReaderModelTests
{
    private static PaperText Paper(long id, string title, string text, params string[] categories) => new(id, "k" + id, title, text, [.. categories]);

    private static readonly PaperText[] Candidates =
    [
        Paper(1, "Galaxy cluster lensing maps", "Weak lensing of galaxy clusters measures dark matter halos.", "astro-ph.CO"),
        Paper(2, "Sparse attention for long documents", "Sparse attention lets transformers read long documents.", "cs.CL"),
        Paper(3, "Coral reef bleaching from satellites", "Satellite images track coral reef bleaching over decades.", "q-bio.PE"),
        Paper(4, "Dark matter halos in dwarf galaxies", "Rotation curves of dwarf galaxies constrain dark matter halos.", "astro-ph.GA"),
        Paper(5, "Tokenizers for long documents", "Tokenizers shape how transformers read long documents.", "cs.CL"),
    ];

    [Fact]
    public void The_linear_model_lifts_the_liked_subject_and_gives_a_liked_paper_nothing_for_itself()
    {
        var liked = Paper(13, "Dark matter halo profiles", "Dark matter halos of galaxies from lensing.", "astro-ph.CO");
        ProfilePaper[] profile = [new(liked, SignalKind.Upvoted)];
        PaperText[] candidates = [.. Candidates, liked];
        var plain = ReaderModel.Train(profile, candidates, ReaderSettings.Default with { LinearWeight = 0 });
        var linear = ReaderModel.Train(profile, candidates, ReaderSettings.Default with { LinearWeight = 1 });

        // The dark matter papers gain more from the linear term than the unrelated ones.
        double Gain(long id) => linear.Score(id).Score - plain.Score(id).Score;
        Assert.True(Gain(4) > Gain(3) && Gain(1) > Gain(2), $"gains: {Gain(1)}, {Gain(2)}, {Gain(3)}, {Gain(4)}");
        // The liked paper was a training example: it gets no linear term, as its cosine to itself is left out.
        Assert.Equal(plain.Score(13).Score, linear.Score(13).Score);
    }

    [Fact]
    public void Two_interests_both_rank_a_small_one_is_not_drowned_by_a_large_one()
    {
        // Many liked papers on language models, one on dark matter: a centroid would sit in the language models.
        ProfilePaper[] profile =
        [
            new(Paper(10, "Attention in transformers", "Transformers with attention read documents.", "cs.CL"), SignalKind.Upvoted),
            new(Paper(11, "Long context transformers", "Long documents and transformers with sparse attention.", "cs.CL"), SignalKind.Upvoted),
            new(Paper(12, "Document tokenizers", "Tokenizers for transformers and long documents.", "cs.CL"), SignalKind.Saved),
            new(Paper(13, "Dark matter halo profiles", "Dark matter halos of galaxies from lensing.", "astro-ph.CO"), SignalKind.Upvoted),
        ];
        var ranked = ReaderModel.Train(profile, Candidates).Rank(Candidates).Select(r => r.Paper.Id).ToList();

        Assert.Equal(3, ranked[^1]); // the one subject nobody liked comes last
        Assert.Equal([1, 2, 4, 5], ranked.Take(4).Order().ToList());
    }

    [Fact]
    public void The_reason_is_the_nearest_liked_paper_and_not_for_me_pushes_a_subject_down()
    {
        ProfilePaper[] profile =
        [
            new(Paper(10, "Attention in transformers", "Transformers with sparse attention read long documents.", "cs.CL"), SignalKind.Upvoted),
            new(Paper(13, "Dark matter halo profiles", "Dark matter halos of galaxies from lensing.", "astro-ph.CO"), SignalKind.Saved),
        ];
        var model = ReaderModel.Train(profile, Candidates);
        var galaxy = model.Score(4);
        Assert.Equal("Dark matter halo profiles", galaxy.Reason!.Title);
        Assert.Equal("saved", galaxy.Reason.Verb);
        Assert.Equal("/papers/k13", galaxy.Reason.Url);
        Assert.Null(model.Score(3).Reason); // nothing liked is near coral reefs

        ProfilePaper[] withNotForMe = [.. profile, new(Paper(20, "Galaxy lensing surveys", "Weak lensing surveys of galaxy clusters.", "astro-ph.CO"), SignalKind.NotForMe)];
        var before = model.Score(1).Score;
        var after = ReaderModel.Train(withNotForMe, Candidates).Score(1).Score;
        Assert.True(after < before, $"{after} < {before}");
    }

    [Fact]
    public void A_liked_paper_among_the_candidates_is_not_scored_by_itself()
    {
        ProfilePaper[] profile = [new(Candidates[1], SignalKind.Upvoted)];
        var model = ReaderModel.Train(profile, Candidates);
        Assert.True(model.Score(2).Score < 0.999);
        Assert.True(model.Score(5).Score > model.Score(1).Score);
    }
    [Fact]
    public void The_words_that_weighed_most_are_in_the_paper_and_in_a_liked_paper()
    {
        var liked = Paper(13, "Dark matter halo profiles", "Dark matter halos of galaxies from lensing.", "astro-ph.CO");
        var model = ReaderModel.Train([new(liked, SignalKind.Upvoted)], Candidates);
        var words = model.Words(Candidates[3]); // "Dark matter halos in dwarf galaxies"
        Assert.InRange(words.Count, 1, ReaderModel.ReasonWords);
        foreach (var word in words)
        {
            Assert.Contains(TextVectorizer.Stem(word), TextVectorizer.Tokenize(Candidates[3].Title + " " + Candidates[3].Abstract));
            Assert.Contains(TextVectorizer.Stem(word), TextVectorizer.Tokenize(liked.Title + " " + liked.Abstract));
        }
        // Shown as written in the paper (not the folded term), and never a category.
        Assert.Contains("halos", words);
        Assert.Empty(model.Words(Candidates[2])); // coral reefs share no word with the liked paper
        Assert.Empty(ReaderModel.Train([new(liked, SignalKind.Upvoted)], Candidates, ReaderSettings.Default with { LinearWeight = 0 }).Words(Candidates[3]));
    }

    [Fact]
    public void Less_like_this_lowers_the_paper_and_those_sharing_its_top_words_only()
    {
        // Galaxy cluster lensing: its top words are cluster, lensing, map, galaxy, …; only the dwarf galaxies paper shares one.
        var model = ReaderModel.Train([new(Candidates[0], SignalKind.LessLike)], Candidates);
        Assert.True(model.Score(1).Score < model.Score(4).Score, $"{model.Score(1).Score} < {model.Score(4).Score}");
        Assert.True(model.Score(4).Score < 0);
        Assert.All(new long[] { 2, 3, 5 }, id => Assert.Equal(0, model.Score(id).Score));
        Assert.Null(model.Score(4).Reason); // a "less like this" paper is never a reason
        Assert.False(model.HasLiked);
    }
}
