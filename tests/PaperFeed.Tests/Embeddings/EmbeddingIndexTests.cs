using PaperFeed.Embeddings;

namespace PaperFeed.Tests.Embeddings;

public sealed class EmbeddingIndexTests
{
    private const int D = TextEmbedder.Dimensions;

    /// <summary>A unit vector at angle θ in the plane of the first two axes: its cosine with axis 0 is cos θ.</summary>
    private static float[] At(double degrees)
    {
        var v = new float[D];
        v[0] = (float)Math.Cos(degrees * Math.PI / 180);
        v[1] = (float)Math.Sin(degrees * Math.PI / 180);
        return v;
    }

    private static (long[] Ids, float[] Matrix) Catalog(params (long Id, double Degrees)[] papers) =>
        (papers.Select(p => p.Id).ToArray(), papers.SelectMany(p => At(p.Degrees)).ToArray());

    [Fact]
    public void The_nearest_come_best_first_and_only_the_k_best()
    {
        var (ids, matrix) = Catalog((1, 80), (2, 10), (3, 40), (4, 0), (5, 60));

        var nearest = EmbeddingIndex.Nearest(ids, matrix, At(0), 3, -1, null);

        Assert.Equal([4L, 2, 3], nearest.Select(n => n.PaperId));
        Assert.Equal(1.0, nearest[0].Score, 4);
    }

    [Fact]
    public void Papers_below_the_minimum_score_and_the_excepted_paper_are_left_out()
    {
        var (ids, matrix) = Catalog((1, 0), (2, 30), (3, 89));

        var nearest = EmbeddingIndex.Nearest(ids, matrix, At(0), 10, 0.5f, except: 1);

        Assert.Equal([2L], nearest.Select(n => n.PaperId));
    }

    [Fact]
    public void Equal_scores_are_ordered_by_id_so_every_instance_answers_the_same()
    {
        var (ids, matrix) = Catalog((7, 20), (3, 20), (5, 20), (9, -20));

        var nearest = EmbeddingIndex.Nearest(ids, matrix, At(0), 3, -1, null);

        Assert.Equal([3L, 5, 7], nearest.Select(n => n.PaperId));
    }

    [Fact]
    public void A_blob_round_trips_the_vector()
    {
        var vector = At(33);

        Assert.Equal(vector, PaperEmbedding.FromBlob(PaperEmbedding.ToBlob(vector)));
        Assert.Equal(D * sizeof(float), PaperEmbedding.ToBlob(vector).Length);
    }
}
