using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("Scaling for\n  Contrastive Loss", "Scaling for Contrastive Loss")]
    [InlineData("  leading and trailing  ", "leading and trailing")]
    [InlineData("tabs\tand\r\nCRLF", "tabs and CRLF")]
    [InlineData("non\u00a0breaking", "non breaking")]
    [InlineData("already clean", "already clean")]
    [InlineData("", "")]
    [InlineData(" \n\t ", "")]
    public void Whitespace_collapses_every_run_to_one_space_and_trims(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Whitespace(input));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" \n ", null)]
    [InlineData(" a\nb ", "a b")]
    public void WhitespaceOrNull_gives_null_for_blank_text(string? input, string? expected)
    {
        Assert.Equal(expected, TextNormalizer.WhitespaceOrNull(input));
    }

    [Theory]
    [InlineData("Attention Is All You Need", "attention is all you need")]
    [InlineData("GPT-4o: A Study, Revisited!", "gpt 4o a study revisited")]
    [InlineData("Café Naïve Bayés", "cafe naive bayes")]
    [InlineData("  Scaling for\n  Contrastive   Loss  ", "scaling for contrastive loss")]
    [InlineData("“Quoted” — title…", "quoted title")]
    [InlineData("!!!", "")]
    public void TitleKey_is_lower_case_letters_and_digits_with_single_spaces_and_no_accents(string title, string expected)
    {
        Assert.Equal(expected, TextNormalizer.TitleKey(title));
    }

    [Fact]
    public void TitleKey_matches_the_same_title_as_written_by_different_sources()
    {
        var arxiv = TextNormalizer.TitleKey("Breaking the Memory Barrier: Near Infinite Batch Size Scaling for\n  Contrastive Loss");
        var hf = TextNormalizer.TitleKey("Breaking the memory barrier - near infinite batch-size scaling for contrastive loss");

        Assert.Equal(arxiv, hf);
    }
}
