using PaperFeed.Search;

namespace PaperFeed.Tests.Search;

public sealed class HighlighterTests
{
    [Fact]
    public void Marks_whole_words_case_insensitively_and_their_plural()
    {
        Assert.Equal("<mark>Diffusion</mark> <mark>Models</mark> beat a <mark>model</mark>, not modes",
            Highlighter.Highlight("Diffusion Models beat a model, not modes", ["diffusion", "models"]));
    }

    [Fact]
    public void A_script_stays_inert_text_with_the_match_marked()
    {
        var html = Highlighter.Highlight("<script>alert('x')</script> Attention & <b>bold</b>", ["script", "attention", "lt"]);
        Assert.Equal("&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; <mark>Attention</mark> &amp; &lt;b&gt;bold&lt;/b&gt;", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<b>", html);
    }

    [Fact]
    public void No_words_means_the_encoded_text()
    {
        Assert.Equal("a &lt; b", Highlighter.Highlight("a < b", []));
        Assert.Equal("", Highlighter.Highlight(null, ["x"]));
    }

    [Fact]
    public void Unicode_and_emoji_survive()
    {
        Assert.Equal("🚀 <mark>café</mark> 扩散", Highlighter.Highlight("🚀 café 扩散", ["Café"]));
    }

    [Fact]
    public void The_snippet_is_cut_around_the_first_match()
    {
        var text = string.Join(' ', Enumerable.Range(0, 200).Select(i => "word" + i)) + " needle " + string.Join(' ', Enumerable.Range(0, 200).Select(i => "tail" + i));
        var snippet = Highlighter.Snippet(text, ["needle"], 120);
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.Contains("<mark>needle</mark>", snippet);
        Assert.True(snippet.Length < 180, snippet);
    }

    [Fact]
    public void A_short_text_is_its_own_snippet()
    {
        Assert.Equal("a &lt;b&gt; <mark>c</mark>", Highlighter.Snippet("a <b> c", ["c"]));
    }
}
