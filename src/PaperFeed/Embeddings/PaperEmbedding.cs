using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Papers;

namespace PaperFeed.Embeddings;

/// <summary>
/// A paper's sentence embedding: unit-length float32 values, little-endian, in one blob. <see cref="Model"/> names the
/// model and the text recipe that made it, so a change of either re-embeds every paper.
/// </summary>
public sealed class PaperEmbedding
{
    public long PaperId { get; set; }
    public required string Model { get; set; }
    public required byte[] Vector { get; set; }
    public DateTime EmbeddedAt { get; set; }

    public static byte[] ToBlob(float[] vector) => MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob.AsSpan()).ToArray();

    /// <summary>The model's part of the catalog (called from CatalogDbContext.OnModelCreating).</summary>
    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<PaperEmbedding>(e =>
    {
        e.HasKey(x => x.PaperId);
        e.Property(x => x.Model).HasMaxLength(64);
        e.HasIndex(x => x.Model);
        e.HasOne<Paper>().WithOne().HasForeignKey<PaperEmbedding>(x => x.PaperId).OnDelete(DeleteBehavior.Cascade);
    });
}

/// <summary>The stored vectors of papers, for other features (a reader's profile, related papers): id → unit vector.</summary>
public static class PaperEmbeddings
{
    public static async Task<Dictionary<long, float[]>> ForPapersAsync(Data.CatalogDbContext db, IReadOnlyCollection<long> paperIds,
        string model, CancellationToken ct)
    {
        var rows = await db.PaperEmbeddings.AsNoTracking().Where(e => paperIds.Contains(e.PaperId) && e.Model == model)
            .Select(e => new { e.PaperId, e.Vector }).ToListAsync(ct);
        return rows.ToDictionary(r => r.PaperId, r => PaperEmbedding.FromBlob(r.Vector));
    }
}
