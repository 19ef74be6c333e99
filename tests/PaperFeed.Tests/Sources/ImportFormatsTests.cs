using PaperFeed.Sources;

namespace PaperFeed.Tests.Sources;

public class ImportFormatsTests
{
    [Theory]
    [InlineData("hf-daily-2026-five-item-variants.json", ImportFormat.HfJson, 5)]
    [InlineData("hf-daily-2024-legacy-shape.json", ImportFormat.HfJson, 2)]
    [InlineData("hf-daily-empty-day.json", ImportFormat.HfJson, 0)]
    [InlineData("hf-papers-page-day-2026-06-12-two-papers-encoded-entities.html", ImportFormat.HfPage, 2)]
    [InlineData("hf-papers-page-empty-day.html", ImportFormat.HfPage, 0)]
    [InlineData("hf-papers-page-copied-as-text-five-papers.txt", ImportFormat.HfCopiedText, 5)]
    public void Detects_the_format_by_content_and_parses_it(string fixture, ImportFormat expected, int papers)
    {
        var (format, result) = ImportFormats.Parse(Fixture.Read(fixture), 2025);

        Assert.Equal(expected, format);
        Assert.Equal(papers, result.Papers.Count);
    }

    [Fact]
    public void Leading_whitespace_before_json_is_allowed()
    {
        var (format, result) = ImportFormats.Parse("\n  \t" + Fixture.Read("hf-daily-2024-legacy-shape.json"), 2025);

        Assert.Equal(ImportFormat.HfJson, format);
        Assert.Equal(2, result.Papers.Count);
    }

    [Fact]
    public void The_year_is_used_for_year_less_dates_in_copied_text()
    {
        var (_, result) = ImportFormats.Parse(Fixture.Read("hf-papers-page-copied-as-text-five-papers.txt"), 2024);

        Assert.Contains(result.Papers, p => p.PublishedAt == new DateTime(2024, 6, 16, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Readme_like_prose_is_refused()
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse(Fixture.Read("not-a-papers-page-readme-prose.md"), 2025));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  \r\n")]
    public void Empty_input_is_refused(string content)
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse(content, 2025));
    }

    [Fact]
    public void An_html_page_without_papers_data_is_refused()
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse(Fixture.Read("hf-papers-page-layout-change-no-papers-element.html"), 2025));
    }

    [Fact]
    public void An_xml_document_is_refused()
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse("<?xml version='1.0'?><feed><title>x</title></feed>", 2025));
    }

    [Fact]
    public void Json_that_is_not_a_papers_list_is_refused()
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse("{\"foo\":1}", 2025));
    }

    [Fact]
    public void A_single_short_line_is_refused()
    {
        Assert.Throws<SourceFormatException>(() => ImportFormats.Parse("hello", 2025));
    }
}
