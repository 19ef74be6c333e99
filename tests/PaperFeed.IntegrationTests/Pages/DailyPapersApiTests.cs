using System.Net;
using System.Text.Json;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Pages;

[Collection(CatalogWithDaysCollection.Name)]
public sealed class DailyPapersApiTests(CatalogWithDays catalog)
{
    private static async Task<JsonElement> GetJsonAsync(PaperFeedApp app, string path)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_day_comes_back_in_hugging_faces_shape(DatabaseProvider provider)
    {
        var items = await GetJsonAsync(catalog[provider], "/api/daily_papers?date=2026-06-12");

        Assert.Equal(3, items.GetArrayLength());
        var first = items[0];
        var paper = first.GetProperty("paper");
        Assert.Equal("2606.01001", paper.GetProperty("id").GetString());
        Assert.Equal("Sparse Mixtures of Tiny Experts for Long-Context Reasoning", paper.GetProperty("title").GetString());
        Assert.Equal("Ada Lovelace", paper.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Equal(6, paper.GetProperty("authors").GetArrayLength());
        Assert.Equal(42, paper.GetProperty("upvotes").GetInt32());
        Assert.Equal("2026-06-12T00:00:00Z", paper.GetProperty("submittedOnDailyAt").GetString());
        Assert.Equal("Tiny sparse experts reason over long contexts at a fraction of dense compute.", paper.GetProperty("ai_summary").GetString());
        Assert.Equal(128, paper.GetProperty("githubStars").GetInt32());
        Assert.Equal("example-lab", first.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal(3, first.GetProperty("numComments").GetInt32());
        Assert.Equal("ada", first.GetProperty("submittedBy").GetProperty("name").GetString());
        Assert.Equal(first.GetProperty("title").GetString(), paper.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Limit_page_week_month_and_sort_select_the_papers()
    {
        var app = catalog[DatabaseProvider.Postgres];
        Assert.Equal(4, (await GetJsonAsync(app, "/api/daily_papers?month=2026-06")).GetArrayLength());
        Assert.Equal(3, (await GetJsonAsync(app, "/api/daily_papers?week=2026-W24")).GetArrayLength());
        Assert.Equal(1, (await GetJsonAsync(app, "/api/daily_papers?week=2026-W25")).GetArrayLength());
        Assert.Equal(0, (await GetJsonAsync(app, "/api/daily_papers?week=2026-W23")).GetArrayLength());

        var newestFirst = await GetJsonAsync(app, "/api/daily_papers?limit=2");
        Assert.Equal(["2606.02001", "2606.01001"], newestFirst.EnumerateArray().Select(i => i.GetProperty("paper").GetProperty("id").GetString()));
        var secondPage = await GetJsonAsync(app, "/api/daily_papers?limit=2&p=1");
        Assert.Equal(["2606.01003", "2606.01002"], secondPage.EnumerateArray().Select(i => i.GetProperty("paper").GetProperty("id").GetString()));
        var trending = await GetJsonAsync(app, "/api/daily_papers?sort=trending&limit=1");
        Assert.Equal("2606.01001", trending[0].GetProperty("paper").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("/api/daily_papers?date=2026-13-45")]
    [InlineData("/api/daily_papers?week=2026-W99")]
    [InlineData("/api/daily_papers?month=June")]
    [InlineData("/api/daily_papers?limit=-1")]
    [InlineData("/api/daily_papers?p=-3")]
    [InlineData("/api/daily_papers?sort=random")]
    public async Task Bad_parameters_get_a_400_with_a_reason(string path)
    {
        using var client = catalog[DatabaseProvider.Sqlite].CreateClient();
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task One_paper_by_id_and_a_404_for_an_unknown_one(DatabaseProvider provider)
    {
        var paper = await GetJsonAsync(catalog[provider], "/api/papers/2606.02001");
        Assert.Equal("Orbital Mechanics as a Benchmark for Agents", paper.GetProperty("title").GetString());
        Assert.Equal(15, paper.GetProperty("upvotes").GetInt32());

        using var client = catalog[provider].CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/papers/2606.99999")).StatusCode);
    }
}
