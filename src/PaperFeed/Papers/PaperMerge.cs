using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PaperFeed.Sources;

namespace PaperFeed.Papers;

/// <summary>
/// The merge rule: a value is never overwritten with an empty one; arXiv is authoritative for the
/// bibliographic fields (title, authors, abstract, categories, versions); Hugging Face for its own counts and links.
/// </summary>
public static class PaperMerge
{
    /// <returns>True when anything changed.</returns>
    public static bool Apply(Paper paper, PaperRecord r)
    {
        var changed = false;
        var bibliographic = r.FromArxiv || !paper.MetadataFromArxiv;

        if (r.ArxivId is not null && paper.ArxivId is null) { paper.ArxivId = r.ArxivId; changed = true; }
        if (r.Version is { } v && (paper.Version is null || v > paper.Version)) { paper.Version = v; changed = true; }

        if (bibliographic)
        {
            changed |= Set(paper.Title, r.Title, x => { paper.Title = x; paper.NormalizedTitle = TextNormalizer.TitleKey(x); });
            changed |= Set(paper.Abstract, r.Abstract, x => paper.Abstract = x);
            changed |= SetList(paper.Authors, r.Authors, x => paper.Authors = x);
            if (r.PublishedAt is { } published && (r.FromArxiv || paper.PublishedAt is null) && paper.PublishedAt != published)
            {
                paper.PublishedAt = published;
                changed = true;
            }
        }
        else
        {
            changed |= Fill(paper.Abstract, r.Abstract, x => paper.Abstract = x);
            if (paper.Authors.Count == 0) changed |= SetList(paper.Authors, r.Authors, x => paper.Authors = x);
            if (paper.PublishedAt is null && r.PublishedAt is not null) { paper.PublishedAt = r.PublishedAt; changed = true; }
        }
        if (r.FromArxiv && !paper.MetadataFromArxiv) { paper.MetadataFromArxiv = true; changed = true; }

        changed |= SetList(paper.Categories, r.Categories, x => paper.Categories = x);
        changed |= Set(paper.PrimaryCategory, r.PrimaryCategory, x => paper.PrimaryCategory = x);
        changed |= Set(paper.Comments, r.Comments, x => paper.Comments = x);
        changed |= Set(paper.JournalRef, r.JournalRef, x => paper.JournalRef = x);
        changed |= Set(paper.Doi, r.Doi, x => paper.Doi = x);

        changed |= Set(paper.GithubRepo, TextNormalizer.WebUrl(r.GithubRepo), x => paper.GithubRepo = x);
        if (r.GithubStars is { } stars && paper.GithubStars != stars) { paper.GithubStars = stars; changed = true; }
        changed |= Set(paper.ProjectPage, TextNormalizer.WebUrl(r.ProjectPage), x => paper.ProjectPage = x);
        if (r.Upvotes is { } up && paper.Upvotes != up) { paper.Upvotes = up; changed = true; }
        if (r.NumComments is { } nc && paper.NumComments != nc) { paper.NumComments = nc; changed = true; }
        changed |= Set(paper.SubmittedBy, r.SubmittedBy, x => paper.SubmittedBy = x);
        changed |= Set(paper.SubmittedByName, r.SubmittedByName, x => paper.SubmittedByName = x);
        changed |= Set(paper.Organization, r.Organization, x => paper.Organization = x);
        changed |= Set(paper.OrganizationName, r.OrganizationName, x => paper.OrganizationName = x);
        changed |= Set(paper.AiSummary, r.AiSummary, x => paper.AiSummary = x);
        changed |= SetList(paper.AiKeywords, r.AiKeywords, x => paper.AiKeywords = x);
        changed |= Set(paper.Thumbnail, TextNormalizer.WebUrl(r.Thumbnail), x => paper.Thumbnail = x);
        changed |= Set(paper.DiscussionId, r.DiscussionId, x => paper.DiscussionId = x);
        return changed;
    }

    private static readonly Func<object, object> ShallowCopy = typeof(object)
        .GetMethod("MemberwiseClone", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
        .CreateDelegate<Func<object, object>>();

    /// <summary>
    /// Whether <see cref="Apply"/> would change the paper, leaving it as it is: ingest attaches (and so writes) only
    /// the papers that change. A shallow copy is enough because Apply replaces lists, never edits them.
    /// </summary>
    public static bool WouldChange(Paper paper, PaperRecord record) => Apply((Paper)ShallowCopy(paper), record);

    /// <summary>The paper's fields as they are now (lists shared: Apply replaces them), to compare after a merge.</summary>
    public static Paper Snapshot(Paper paper) => (Paper)ShallowCopy(paper);

    /// <summary>A new paper made from a record alone: what ingest stores for a paper it has not seen.</summary>
    public static Paper FromRecord(PaperRecord record, string key, DateTime now)
    {
        var paper = new Paper { Key = key, Title = record.Title, NormalizedTitle = TextNormalizer.TitleKey(record.Title), CreatedAt = now, UpdatedAt = now };
        Apply(paper, record);
        return paper;
    }

    /// <summary>
    /// A 64-bit digest of every field <see cref="Apply"/> reads or writes, and the key. When a stored paper's
    /// fingerprint equals that of <see cref="FromRecord"/> for a record, the paper is in the very state that record
    /// leaves a new paper in, and applying the record again changes nothing (Apply is idempotent): ingest skips it
    /// after reading two narrow columns. Stable across processes and versions of .NET (SHA-256, fields length-prefixed).
    /// </summary>
    public static long Fingerprint(Paper p)
    {
        // One buffer, one hash call: the fields' bytes, each length-prefixed (null = -1), so no two states share a text.
        var buffer = FingerprintBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        void Number(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }
        void Text(string? value)
        {
            Number(value?.Length ?? -1);
            if (value is null) return;
            var bytes = MemoryMarshal.AsBytes(value.AsSpan());
            bytes.CopyTo(buffer.GetSpan(bytes.Length));
            buffer.Advance(bytes.Length);
        }
        void List(List<string> values)
        {
            Number(values.Count);
            foreach (var value in values) Text(value);
        }
        Text(p.Key); Text(p.ArxivId); Number(p.Version ?? -1); Text(p.Title); Text(p.NormalizedTitle); Text(p.Abstract);
        List(p.Authors); Number(p.PublishedAt?.Ticks ?? -1); List(p.Categories); Text(p.PrimaryCategory); Text(p.Comments);
        Text(p.JournalRef); Text(p.Doi); Text(p.GithubRepo); Number(p.GithubStars ?? -1); Text(p.ProjectPage);
        Number(p.Upvotes); Number(p.NumComments ?? -1); Text(p.SubmittedBy); Text(p.SubmittedByName); Text(p.Organization);
        Text(p.OrganizationName); Text(p.AiSummary); List(p.AiKeywords); Text(p.Thumbnail); Text(p.DiscussionId);
        Number(p.MetadataFromArxiv ? 1 : 0);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, digest);
        return BinaryPrimitives.ReadInt64LittleEndian(digest);
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? FingerprintBuffer;

    /// <summary>A stored paper seen as a record, so merging two papers follows the same rule as ingest.</summary>
    public static PaperRecord ToRecord(Paper p) => new()
    {
        ArxivId = p.ArxivId, Version = p.Version, Title = p.Title, Abstract = p.Abstract, Authors = p.Authors,
        PublishedAt = p.PublishedAt, Categories = p.Categories, PrimaryCategory = p.PrimaryCategory, Comments = p.Comments,
        JournalRef = p.JournalRef, Doi = p.Doi, GithubRepo = p.GithubRepo, GithubStars = p.GithubStars, ProjectPage = p.ProjectPage,
        NumComments = p.NumComments, SubmittedBy = p.SubmittedBy, SubmittedByName = p.SubmittedByName,
        Organization = p.Organization, OrganizationName = p.OrganizationName, AiSummary = p.AiSummary, AiKeywords = p.AiKeywords,
        Thumbnail = p.Thumbnail, DiscussionId = p.DiscussionId, FromArxiv = p.MetadataFromArxiv,
    };

    private static bool Set(string? current, string? incoming, Action<string> set)
    {
        if (string.IsNullOrWhiteSpace(incoming) || current == incoming) return false;
        set(incoming);
        return true;
    }

    private static bool Fill(string? current, string? incoming, Action<string> set) =>
        string.IsNullOrWhiteSpace(current) && Set(current, incoming, set);

    private static bool SetList(List<string> current, IReadOnlyList<string>? incoming, Action<List<string>> set)
    {
        if (incoming is null || incoming.Count == 0 || current.SequenceEqual(incoming)) return false;
        set([.. incoming]);
        return true;
    }
}
