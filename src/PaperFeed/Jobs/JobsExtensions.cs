using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Papers.Related;
using PaperFeed.Sources;

namespace PaperFeed.Jobs;

public static class JobsExtensions
{
    /// <summary>Hangfire: in-process storage with SQLite; with PostgreSQL, job storage in the same database so instances share one scheduler.</summary>
    public static void AddJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new();
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("Catalog");

        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.Provider == DatabaseProvider.Postgres)
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString),
                    new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true });
            else
                config.UseInMemoryStorage();
        });
        if (jobs.RunServer)
            builder.Services.AddHangfireServer(o => o.WorkerCount = jobs.WorkerCount);
        builder.Services.AddSingleton<JobServers>();
    }

    /// <summary>Every recurring job, with its id and schedule, in one place.</summary>
    public static void MapRecurringJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;
        var digests = app.Services.GetRequiredService<IOptions<DigestOptions>>().Value;
        // An instance without a job server (a web-only replica, the tests) leaves scheduling to the others.
        if (jobs.RunServer)
        {
            var manager = app.Services.GetRequiredService<IRecurringJobManager>();
            manager.AddOrUpdate<FetchSourcesJob>("fetch-sources", job => job.RunAsync(CancellationToken.None), jobs.FetchSourcesCron);
            manager.AddOrUpdate<EnrichPapersJob>("enrich-papers", job => job.RunAsync(CancellationToken.None), jobs.EnrichPapersCron);
            manager.AddOrUpdate<RelatedPapersJob>("related-papers", job => job.RunAsync(CancellationToken.None), jobs.RelatedPapersCron);
            var embeddings = app.Services.GetRequiredService<IOptions<Embeddings.EmbeddingsOptions>>().Value;
            if (embeddings.Enabled)
                manager.AddOrUpdate<Embeddings.EmbedPapersJob>("embed-papers", job => job.RunAsync(CancellationToken.None), embeddings.Cron);
            else
                manager.RemoveIfExists("embed-papers");
            manager.AddOrUpdate<TrendingJob>("trending", job => job.RunAsync(CancellationToken.None), jobs.TrendingCron);
            manager.AddOrUpdate<SubscriptionCleanup>("expire-subscriptions", job => job.RunAsync(CancellationToken.None), digests.ExpireSubscriptionsCron);
            var sending = app.Services.GetRequiredService<IOptions<DigestSendingOptions>>().Value;
            manager.AddOrUpdate<SendDigestsJob>("send-digests", job => job.RunAsync(CancellationToken.None), sending.Cron);
            // Channels post on the digest's schedule; a channel that is not due (backing off) is skipped.
            manager.AddOrUpdate<Channels.PostToChannelsJob>("post-to-channels", job => job.RunAsync(CancellationToken.None), sending.Cron);
        }

        // Hangfire's own filters are emptied: the endpoint's Admin policy decides (anonymous → sign in, reader → 403).
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [],
            DashboardTitle = "PaperFeed jobs",
        }).RequireAuthorization(AccountsExtensions.AdminPolicy).WithMetadata(new Site.AllowInlineStylesAttribute());
    }
}
