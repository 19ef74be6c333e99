using System.CommandLine;
using PaperFeed.Cli;

namespace PaperFeed.Data;

/// <summary>`migrate`: applies the pending migrations of the configured provider, whatever Database:MigrateOnStartup says.</summary>
public sealed class MigrateCommand() : OperatorCommand("migrate", "bring the catalog schema up to date", "usage: migrate")
{
    protected override async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct)
    {
        await services.PrepareCatalogAsync(forceMigrate: true);
        Console.WriteLine("the catalog schema is up to date");
        return 0;
    }
}
