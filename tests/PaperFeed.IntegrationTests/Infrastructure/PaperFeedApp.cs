using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PaperFeed.Data;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// The real app, in process, on a fresh database of either provider. The job server is off so a test
/// decides when sources run; extra settings point sources at the loopback server.
/// </summary>
public sealed class PaperFeedApp(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
    bool ownsDatabase = true)
    : WebApplicationFactory<Program>
{
    public TestDatabase Database { get; } = database;

    public static async Task<PaperFeedApp> StartAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var app = new PaperFeedApp(await TestDatabase.CreateMigratedAsync(provider), settings, services);
        _ = app.Server; // start now: seeding runs here, not inside the first request
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // Config files never change during a test: no file watchers (each would hold an inotify instance).
        builder.UseSetting("hostBuilder:reloadConfigOnChange", "false");
        builder.UseSetting("Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Catalog", Database.ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("Jobs:RunServer", "false");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        // Tests serve the remote sites from loopback, and need no politeness delay unless they test it.
        builder.UseSetting("Sources:AllowPrivateAddresses", "true");
        builder.UseSetting("Sources:ThrottleSeconds", "0");
        builder.UseSetting("Sources:PolitenessSeconds", "0");
        // Seeded sources never reach the internet from a test: anything not pointed at a loopback server is refused.
        for (var i = 0; i < 5; i++)
            builder.UseSetting($"Sources:Seed:{i}:Url", $"http://127.0.0.1:9/unset-seed-{i}/{{date}}");
        builder.UseSetting("Sources:ArxivApiUrl", "http://127.0.0.1:9/api/query");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        // Hundreds of tests sign up and sign in; at Identity's 100,000 PBKDF2 iterations each hash costs ~0.1 s of CPU.
        // Nothing here tests the hash's strength; the timing tests (AbuseTests) put the production count back.
        builder.ConfigureServices(s => s.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000));
        if (services is not null) builder.ConfigureServices(services);
    }

    /// <summary>Runs work against the app's own services, in a scope like a request's.</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<CatalogDbContext, Task<T>> work) =>
        WithScopeAsync(services => work(services.GetRequiredService<CatalogDbContext>()));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await Database.DisposeAsync();
    }
}
