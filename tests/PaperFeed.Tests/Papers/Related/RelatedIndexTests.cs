using PaperFeed.Papers.Related;

namespace PaperFeed.Tests.Papers.Related;

public sealed class RelatedIndexTests
{
    private static readonly (long, string?, string?)[] Catalog =
    [
        (1, "Sparse mixtures of experts for long-context reasoning",
            "We route tokens to sparse experts and show that mixtures of experts extend context length with less compute."),
        (2, "Routing tokens in sparse expert mixtures",
            "A study of expert routing: sparse mixtures of experts balance load across experts for long context."),
        (3, "Protein folding with diffusion models",
            "Diffusion models generate protein structures; folding accuracy improves with equivariant networks."),
        (4, "Equivariant diffusion for protein structure generation",
            "We generate protein backbones with an equivariant diffusion model conditioned on sequence."),
        (5, "Reinforcement learning for robot grasping",
            "Robots learn grasping policies from camera images with reinforcement learning in simulation."),
        (6, "Speech recognition in noisy rooms",
            "Acoustic models for speech recognition trained with simulated room noise and reverberation."),
    ];

    [Fact]
    public void Similar_texts_rank_above_unrelated_ones()
    {
        var index = RelatedIndex.Build(Catalog);
        var (id, title, abs) = Catalog[0];
        var neighbors = index.Neighbors(id, index.Vectorize(TextVectorizer.TermCounts(title, abs)));

        Assert.Equal(2, neighbors[0].PaperId);
        Assert.DoesNotContain(neighbors, n => n.PaperId is 5 or 6);
        var protein = index.Neighbors(3, index.Vectorize(TextVectorizer.TermCounts(Catalog[2].Item2, Catalog[2].Item3)));
        Assert.Equal(4, protein[0].PaperId);
        Assert.True(protein[0].Score >= RelatedIndex.MinScore);
    }

    [Fact]
    public void A_paper_is_never_its_own_neighbour_and_neighbours_are_unique()
    {
        var index = RelatedIndex.Build(Catalog);
        foreach (var (id, title, abs) in Catalog)
        {
            var neighbors = index.Neighbors(id, index.Vectorize(TextVectorizer.TermCounts(title, abs)), count: 10, minScore: 0);
            Assert.DoesNotContain(neighbors, n => n.PaperId == id);
            Assert.Equal(neighbors.Count, neighbors.Select(n => n.PaperId).Distinct().Count());
            Assert.True(neighbors.Count <= 10);
            Assert.Equal(neighbors.OrderByDescending(n => n.Score).Select(n => n.PaperId), neighbors.Select(n => n.PaperId));
        }
    }

    [Fact]
    public void Papers_sharing_only_stop_words_are_not_neighbours()
    {
        var index = RelatedIndex.Build(
        [
            (1, "The use of the method in this paper", "We show that it is what it is, and we propose it for them."),
            (2, "The use of the method in this paper", "We show that it is what it is, and we propose it for them."),
            (3, "Graph neural networks", "Message passing on molecular graphs."),
        ]);
        Assert.Equal(SparseVector.Empty, index.Vectorize(TextVectorizer.TermCounts("The use of the method in this paper", "We show that it is")));
        Assert.Empty(index.Neighbors(1, index.Vectorize(TextVectorizer.TermCounts("The use of the method in this paper", "We show that it is what it is"))));
    }

    [Fact]
    public void Terms_in_more_than_a_fifth_of_the_catalog_are_ignored()
    {
        // "transformer" is in every paper of a catalog large enough for the cut: it must not make them neighbours.
        var papers = Enumerable.Range(1, 30).Select(i => ((long)i, (string?)$"Transformer topic{i} alpha{i}", (string?)$"transformer beta{i} gamma{i}")).ToList();
        var index = RelatedIndex.Build(papers);
        Assert.Empty(index.Neighbors(1, index.Vectorize(TextVectorizer.TermCounts(papers[0].Item2, papers[0].Item3)), minScore: 0));
    }

    [Fact]
    public void A_frequent_term_holds_a_capped_number_of_postings()
    {
        // 2000 papers sharing one term (below the 20% cut thanks to 10 000 unrelated papers): the asker sees at most the cap.
        var papers = Enumerable.Range(1, 2000).Select(i => ((long)i, (string?)$"kernel u{i}", (string?)null))
            .Concat(Enumerable.Range(2001, 10_000).Select(i => ((long)i, (string?)$"other{i} w{i}", (string?)null))).ToList();
        var index = RelatedIndex.Build(papers);
        var neighbors = index.Neighbors(-1, index.Vectorize(TextVectorizer.TermCounts("kernel", null)), count: 5000, minScore: 0);
        Assert.Equal(RelatedIndex.MaxPostingsPerTerm, neighbors.Count);
    }
}
