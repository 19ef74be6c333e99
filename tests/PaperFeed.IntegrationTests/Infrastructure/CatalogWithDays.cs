using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>One app per provider holding two HF days (2026-06-12, 2026-06-15), shared by the read-only page and API tests.</summary>
public sealed class CatalogWithDays : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, PaperFeedApp> _apps = [];

    public PaperFeedApp this[DatabaseProvider provider] => _apps[provider];

    public async Task InitializeAsync()
    {
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            var app = await PaperFeedApp.StartAsync(provider);
            foreach (var day in new[] { "hf-day-2026-06-12.json", "hf-day-2026-06-15.json" })
            {
                var records = HfDailyPapersJsonParser.Parse(Fixtures.Read(day)).Papers;
                await app.WithScopeAsync(s => s.GetRequiredService<PaperIngestor>().IngestAsync(1, records));
            }
            _apps[provider] = app;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values) await app.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CatalogWithDaysCollection : ICollectionFixture<CatalogWithDays>
{
    public const string Name = "catalog with two HF days";
}
