namespace PaperFeed.Digests;

/// <summary>Digest subscriptions (Section "Digests"). Minimal stand-in on this branch; the subscription flow owns it.</summary>
public sealed class DigestOptions
{
    public const string Section = "Digests";
}
