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

    private static QuantizedVectors Catalog(params (long Id, double Degrees)[] papers)
    {
        var builder = new QuantizedVectors.Builder();
        foreach (var (id, degrees) in papers.OrderBy(p => p.Id)) builder.Add(id, At(degrees));
        return builder.Build();
    }

    [Fact]
    public void The_nearest_come_best_first_and_only_the_k_best()
    {
        var vectors = Catalog((1, 80), (2, 10), (3, 40), (4, 0), (5, 60));

        var nearest = vectors.Nearest(At(0), 3, -1, null);

        Assert.Equal([4L, 2, 3], nearest.Select(n => n.PaperId));
        Assert.Equal(1.0, nearest[0].Score, 2);
    }

    [Fact]
    public void Papers_below_the_minimum_score_and_the_excepted_paper_are_left_out()
    {
        var vectors = Catalog((1, 0), (2, 30), (3, 89));

        var nearest = vectors.Nearest(At(0), 10, 0.5f, except: 1);

        Assert.Equal([2L], nearest.Select(n => n.PaperId));
    }

    [Fact]
    public void Equal_scores_are_ordered_by_id_so_every_instance_answers_the_same()
    {
        var vectors = Catalog((7, 20), (3, 20), (5, 20), (9, -20));

        var nearest = vectors.Nearest(At(0), 3, -1, null);

        Assert.Equal([3L, 5, 7], nearest.Select(n => n.PaperId));
    }

    [Fact]
    public void A_blob_round_trips_the_vector()
    {
        var vector = At(33);

        Assert.Equal(vector, PaperEmbedding.FromBlob(PaperEmbedding.ToBlob(vector)));
        Assert.Equal(D * sizeof(float), PaperEmbedding.ToBlob(vector).Length);
    }

    private static float[] Unit(Random random, float[]? near = null, double spread = 1)
    {
        var v = new float[D];
        for (var i = 0; i < D; i++) v[i] = (near?[i] ?? 0) + (float)((random.NextDouble() * 2 - 1) * spread);
        var norm = MathF.Sqrt(EmbeddingIndex.Dot(v, v));
        for (var i = 0; i < D; i++) v[i] /= norm;
        return v;
    }

    [Fact]
    public void The_int8_scan_finds_the_float_cosines_top_ten()
    {
        // Clusters of related papers (as topics are), queries near a cluster: the top ten differ by small cosines.
        var random = new Random(5);
        var centres = Enumerable.Range(0, 20).Select(_ => Unit(random)).ToArray();
        var papers = Enumerable.Range(0, QuantizedVectors.BlockRows + 2_000).Select(i => Unit(random, centres[i % 20], 0.08)).ToArray();
        var builder = new QuantizedVectors.Builder();
        for (var i = 0; i < papers.Length; i++) builder.Add(i, papers[i]);
        var vectors = builder.Build();

        for (var q = 0; q < 5; q++)
        {
            var query = Unit(random, centres[q], 0.08);
            var exact = papers.Select((p, i) => (Id: (long)i, Score: EmbeddingIndex.Dot(query, p)))
                .OrderByDescending(p => p.Score).Take(10).ToList();

            var single = vectors.Nearest(query, 10, -1, null);
            var split = vectors.Nearest(query, 10, -1, null, threads: 2);

            Assert.True(single.Select(n => n.PaperId).Intersect(exact.Select(e => e.Id)).Count() >= 9, $"query {q}");
            Assert.Equal(single, split);
            Assert.Equal(exact[0].Score, single[0].Score, 0.003);
        }
    }

    [Fact]
    public void Appended_vectors_join_the_last_block_and_are_read_back()
    {
        var first = new QuantizedVectors.Builder();
        first.Add(1, At(10));
        first.Add(2, At(50));
        var before = first.Build();
        var more = new QuantizedVectors.Builder();
        more.Add(5, At(0));

        var vectors = more.Build(before);

        Assert.Equal(3, vectors.Count);
        Assert.Equal(5L, vectors.LastId);
        Assert.Equal([5L, 1, 2], vectors.Nearest(At(0), 3, -1, null).Select(n => n.PaperId));
        Assert.Equal(At(50)[1], vectors.Vector(2)![1], 2);
        Assert.Null(vectors.Vector(3));
        Assert.Equal(2, before.Count);
    }

    [Fact]
    public void The_query_cache_keeps_the_most_recently_used()
    {
        var cache = new LruCache<string, float[]>(2);
        float[] a = [1], b = [2], c = [3];
        cache.Put("a", a);
        cache.Put("b", b);
        Assert.Same(a, cache.Get("a"));

        cache.Put("c", c);

        Assert.Same(a, cache.Get("a"));
        Assert.Null(cache.Get("b"));
        Assert.Same(c, cache.Get("c"));
    }
}
