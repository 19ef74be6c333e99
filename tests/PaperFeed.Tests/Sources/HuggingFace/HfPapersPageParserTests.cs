using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Tests.Sources.HuggingFace;

public class HfPapersPageParserTests
{
    private const string DayPage = "hf-papers-page-day-2026-06-12-two-papers-encoded-entities.html";

    [Fact]
    public void Reads_the_papers_from_the_DailyPapers_data_props()
    {
        Assert.True(HfPapersPageParser.TryParse(Fixture.Read(DayPage), out var result));

        Assert.Equal(["2606.05501", "2606.05502"], result.Papers.Select(p => p.ArxivId));
        Assert.All(result.Papers, p => Assert.Equal(new DateOnly(2026, 6, 12), p.ListDay));
    }

    [Fact]
    public void Html_entities_in_the_props_are_decoded()
    {
        var paper = HfPapersPageParser.Parse(Fixture.Read(DayPage)).Papers[0];

        Assert.Equal("Retrieval & Reasoning: When \"Lookup\" Beats Thinking", paper.Title);
        Assert.Equal("We show that for questions with a short answer, retrieval < reasoning in cost & error.", paper.Abstract);
        Assert.Equal("north-ai", paper.Organization);
        Assert.Equal("North AI & Partners", paper.OrganizationName);
    }

    [Fact]
    public void Page_items_carry_the_same_fields_as_the_api()
    {
        var papers = HfPapersPageParser.Parse(Fixture.Read(DayPage)).Papers;

        Assert.Equal(["Ada Quist", "Bruno Lemaire"], papers[0].Authors);
        Assert.Equal(17, papers[0].Upvotes);
        Assert.Equal(0, papers[1].Upvotes);
        Assert.Equal("aquist", papers[0].SubmittedBy);
        Assert.Null(papers[1].Organization);
    }

    [Fact]
    public void An_empty_day_page_parses_to_zero_papers()
    {
        Assert.True(HfPapersPageParser.TryParse(Fixture.Read("hf-papers-page-empty-day.html"), out var result));
        Assert.Empty(result.Papers);
    }

    [Fact]
    public void A_page_without_the_papers_element_is_reported_as_a_layout_change()
    {
        var html = Fixture.Read("hf-papers-page-layout-change-no-papers-element.html");

        Assert.False(HfPapersPageParser.TryParse(html, out var result));
        Assert.Empty(result.Papers);
        Assert.Throws<SourceFormatException>(() => HfPapersPageParser.Parse(html));
    }

    [Fact]
    public void A_paper_page_reads_the_PaperContent_props()
    {
        const string html = """
            <!doctype html><html><body>
            <div class="SVELTE_HYDRATER contents" data-target="PaperContent" data-props="{&quot;paper&quot;:{&quot;id&quot;:&quot;2606.05501&quot;,&quot;title&quot;:&quot;Retrieval &amp; Reasoning&quot;,&quot;upvotes&quot;:18,&quot;submittedOnDailyAt&quot;:&quot;2026-06-12T00:00:00.000Z&quot;},&quot;comments&quot;:[]}"></div>
            </body></html>
            """;

        var paper = Assert.Single(HfPapersPageParser.Parse(html).Papers);

        Assert.Equal("2606.05501", paper.ArxivId);
        Assert.Equal("Retrieval & Reasoning", paper.Title);
        Assert.Equal(18, paper.Upvotes);
        Assert.Equal(new DateOnly(2026, 6, 12), paper.ListDay);
    }
}
