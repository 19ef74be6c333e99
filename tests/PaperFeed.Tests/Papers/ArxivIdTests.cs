using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public class ArxivIdTests
{
    [Theory]
    [InlineData("0704.0001", "0704.0001", null)]
    [InlineData("1412.9999", "1412.9999", null)]
    [InlineData("2401.12345", "2401.12345", null)]
    [InlineData("2401.12345v2", "2401.12345", 2)]
    [InlineData("0704.0001v11", "0704.0001", 11)]
    [InlineData("hep-th/9901001", "hep-th/9901001", null)]
    [InlineData("math.GT/0309136v2", "math.GT/0309136", 2)]
    [InlineData(" 2401.12345 ", "2401.12345", null)]
    public void Parses_new_and_old_style_ids_with_optional_version(string text, string id, int? version)
    {
        Assert.True(ArxivId.TryParse(text, out var parsedId, out var parsedVersion));
        Assert.Equal(id, parsedId);
        Assert.Equal(version, parsedVersion);
        Assert.True(ArxivId.IsValid(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("2401.123")]
    [InlineData("2401.123456")]
    [InlineData("2401.12345v")]
    [InlineData("2401.12345v2v3")]
    [InlineData("24011.2345")]
    [InlineData("../../etc")]
    [InlineData("../../etc/passwd")]
    [InlineData("2401.12345/../../etc")]
    [InlineData("hep-th/990100")]
    [InlineData("hep-th/9901001/../x")]
    [InlineData("2401.12345\nrm -rf")]
    public void Rejects_anything_else(string? text)
    {
        Assert.False(ArxivId.TryParse(text, out var id, out var version));
        Assert.Null(id);
        Assert.Null(version);
        Assert.False(ArxivId.IsValid(text));
    }

    [Theory]
    [InlineData("https://arxiv.org/abs/2401.12345v2", "2401.12345", 2)]
    [InlineData("http://arxiv.org/abs/2606.13677v1", "2606.13677", 1)]
    [InlineData("https://arxiv.org/pdf/2401.12345", "2401.12345", null)]
    [InlineData("https://arxiv.org/abs/hep-th/9901001v3", "hep-th/9901001", 3)]
    [InlineData("oai:arXiv.org:2401.12345v1", "2401.12345", 1)]
    [InlineData("arXiv:2401.12345", "2401.12345", null)]
    [InlineData("arXiv:2604.21935v1 Announce Type: new", "2604.21935", 1)]
    [InlineData("https://huggingface.co/papers/2401.12345", "2401.12345", null)]
    [InlineData("2401.12345v4", "2401.12345", 4)]
    [InlineData("https://arxiv.org/pdf/2401.12345v12.pdf", "2401.12345", 12)]
    public void Finds_an_id_inside_urls_and_prefixed_text(string text, string id, int? version)
    {
        Assert.True(ArxivId.TryFind(text, out var foundId, out var foundVersion));
        Assert.Equal(id, foundId);
        Assert.Equal(version, foundVersion);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://example.org/abs/2401.12345")]
    [InlineData("https://arxiv.org/abs/")]
    [InlineData("arXiv:../../etc")]
    [InlineData("https://arxiv.org/abs/2401.123456")]
    [InlineData("arXiv:2401.12345678")]
    [InlineData("https://arxiv.org/abs/hep-th/99010012")]
    public void Finds_nothing_where_there_is_no_arxiv_id(string? text)
    {
        Assert.False(ArxivId.TryFind(text, out var id, out _));
        Assert.Null(id);
    }
}
