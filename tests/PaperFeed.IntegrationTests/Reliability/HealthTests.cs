using System.Net;
using System.Text.Json;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>/healthz (the process answers) and /readyz (catalog and job storage answer), as an orchestrator's probe sees them.</summary>
public sealed class HealthTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/readyz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Both_probes_answer_200_when_the_catalog_and_job_storage_answer(DatabaseProvider provider)
    {
        await using var app = await PaperFeedApp.StartAsync(provider);
        using var client = app.CreateClient();

        using var live = await client.GetAsync("/healthz");
        var (status, body) = await ReadyAsync(client);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("catalog").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_fails_while_postgres_is_down_healthz_does_not_and_both_recover()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        var catalog = await cluster.CreateDatabaseAsync("catalog");
        await using var app = new PaperFeedApp(await TestDatabase.CreateAsync(DatabaseProvider.Sqlite), new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Catalog"] = catalog,
        });
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(client)).Status);

        await cluster.StopServerAsync();
        var (down, body) = await ReadyAsync(client);
        using var liveWhileDown = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var catalogCheck = body.GetProperty("checks").GetProperty("catalog");
        Assert.Equal("Unhealthy", catalogCheck.GetProperty("status").GetString());
        Assert.StartsWith("catalog unreachable", catalogCheck.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
        Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, liveWhileDown.StatusCode);

        await cluster.StartServerAsync();
        // The first use of each pooled connection that the restart cut may still fail; within a few probes it is ready again.
        var ready = false;
        for (var i = 0; i < 20 && !ready; i++)
        {
            ready = (await ReadyAsync(client)).Status == HttpStatusCode.OK;
            if (!ready) await Task.Delay(250);
        }
        Assert.True(ready, "readyz did not recover after PostgreSQL came back");
        using var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }
}
