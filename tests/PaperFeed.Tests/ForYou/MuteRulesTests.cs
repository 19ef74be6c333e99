using PaperFeed.Digests;
using PaperFeed.ForYou;

namespace PaperFeed.Tests.ForYou;

/// <summary>The mute rules' text (what the interests page accepts) and their in-memory matching (what the digest applies).</summary>
public sealed class MuteRulesTests
{
    private static DigestCandidate C(string title, string[]? authors = null, string[]? categories = null, string? @abstract = null, string[]? aiKeywords = null) =>
        new(1, "k", null, title, [.. authors ?? []], null, @abstract, [.. aiKeywords ?? []], 0, 0, null, [.. categories ?? []]);

    [Fact]
    public void Categories_are_read_as_arxivs_codes_and_anything_else_is_refused()
    {
        var (values, error) = MuteRules.Parse(RuleKind.MuteCategory, "CS.lg, stat.ml\nquant-ph cs.LG");
        Assert.Equal(["cs.LG", "stat.ML", "quant-ph"], values);
        Assert.Null(error);
        Assert.Contains("not an arXiv category", MuteRules.Parse(RuleKind.MuteCategory, "cs.LG <script>").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Authors_are_one_name_a_line_and_a_comma_stays_in_the_name()
    {
        Assert.Equal(["Mallory, Eve", "J. Smith"], MuteRules.Parse(RuleKind.MuteAuthor, " Mallory, Eve \n\nJ. Smith\nj. smith").Values);
        Assert.Equal(["diffusion", "large language models"], MuteRules.Parse(RuleKind.MuteKeyword, "diffusion, large language models\nDiffusion").Values);
        Assert.NotNull(MuteRules.Parse(RuleKind.MuteKeyword, string.Join('\n', Enumerable.Range(0, MuteRules.MaxRules + 1))).Error);
        Assert.NotNull(MuteRules.Parse(RuleKind.MuteKeyword, new string('x', MuteRules.MaxKeywordLength + 1)).Error);
    }

    [Fact]
    public void Each_kind_matches_what_it_says()
    {
        List<Mute> keyword = [new(RuleKind.MuteKeyword, "Diffusion")], author = [new(RuleKind.MuteAuthor, "eve mallory")], category = [new(RuleKind.MuteCategory, "cs.CR")];
        Assert.True(MuteRules.Hides(keyword, C("Latent DIFFUSION")));
        Assert.True(MuteRules.Hides(keyword, C("Images", aiKeywords: ["score diffusion"])));
        Assert.True(MuteRules.Hides(keyword, C("Images", @abstract: "We use diffusion.")));
        Assert.False(MuteRules.Hides(keyword, C("Transformers")));
        Assert.True(MuteRules.Hides(author, C("Any", authors: ["A. B", "Eve Mallory"])));
        // A whole name, not a part of one.
        Assert.False(MuteRules.Hides(author, C("Any", authors: ["Steve Mallory"])));
        Assert.True(MuteRules.Hides(category, C("Any", categories: ["cs.LG", "cs.CR"])));
        Assert.False(MuteRules.Hides(category, C("Any", categories: ["cs.CV"])));
        Assert.False(MuteRules.Hides([], C("Latent diffusion")));
    }

    [Fact]
    public void An_account_holders_digest_reads_the_accounts_rules_and_an_account_less_one_its_own_keywords()
    {
        var byReader = new Dictionary<string, List<Mute>> { ["ada"] = [new(RuleKind.MuteAuthor, "Eve Mallory")] };
        Assert.Equal([new Mute(RuleKind.MuteAuthor, "Eve Mallory")], MuteRules.ForSubscription(new Subscription { Email = "a@x.org", UserId = "ada", MuteKeywords = ["old"] }, byReader));
        Assert.Empty(MuteRules.ForSubscription(new Subscription { Email = "b@x.org", UserId = "bob" }, byReader));
        Assert.Equal([new Mute(RuleKind.MuteKeyword, "old")], MuteRules.ForSubscription(new Subscription { Email = "c@x.org", MuteKeywords = ["old"] }, byReader));
    }
}
