using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using PaperFeed.Data;

namespace PaperFeed.Site;

/// <summary>
/// Output caching of the public catalog pages (lists, paper pages, feeds, the JSON API), for anonymous visitors only:
/// the framework's default policy never looks up or stores a response for a signed-in request (their pages carry
/// their own votes and antiforgery tokens) nor one that sets a cookie. Every write to a table those pages show evicts
/// them all (<see cref="PageCacheEviction"/>). The cache lives in this process: another instance, or a command run
/// beside the site, changes what this one shows within <see cref="AppOptions.PageCacheSeconds"/>.
/// </summary>
public static class PageCache
{
    public const string Policy = "catalog";
    public const string Tag = "catalog";

    public static void AddPageCache(this IServiceCollection services)
    {
        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<AppOptions>>((cache, site) =>
            cache.AddPolicy(Policy, policy =>
            {
                if (site.Value.PageCacheSeconds == 0) policy.NoCache();
                // The list view (cards or compact) may come from the reader's cookie, not only the address.
                else policy.Expire(TimeSpan.FromSeconds(site.Value.PageCacheSeconds)).Tag(Tag)
                    .VaryByValue(context => KeyValuePair.Create("view", Papers.ListDisplay.Mode(context)));
            }));
        services.AddSingleton<PageCacheEviction>();
        // Both migration sets' contexts: whichever AddCatalog registered gets the interceptor.
        services.ConfigureDbContext<PostgresCatalogDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<PageCacheEviction>()));
        services.ConfigureDbContext<SqliteCatalogDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<PageCacheEviction>()));
    }
}

/// <summary>
/// Evicts the cached pages after any write to a table they show, whatever made it (SaveChanges, ExecuteUpdate, raw SQL),
/// so ingest, votes, tagging and administration need no call of their own. A write inside a transaction evicts when it
/// commits: evicting earlier would let a request in between cache the old rows again.
/// </summary>
public sealed partial class PageCacheEviction(IOutputCacheStore store) : DbCommandInterceptor, IDbTransactionInterceptor
{
    private static readonly object Written = new();
    private readonly ConditionalWeakTable<DbTransaction, object> _pending = [];

    [GeneratedRegex("""\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\s+"(Papers|Listings|PaperTopics|Topics|PaperSources|Sources|PaperNeighbors|Votes|Comments|CommentVotes)"\s""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CatalogWrite();

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Seen(command);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await SeenAsync(command);
        return result;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Seen(command);
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        await SeenAsync(command);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (_pending.Remove(transaction)) Evict().AsTask().GetAwaiter().GetResult();
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (_pending.Remove(transaction)) await Evict();
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => _pending.Remove(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        _pending.Remove(transaction);
        return Task.CompletedTask;
    }

    /// <summary>For writes the interceptor cannot see (binary COPY): evict when <paramref name="transaction"/> commits.</summary>
    public void WroteInside(DbTransaction transaction) => _pending.AddOrUpdate(transaction, Written);

    private void Seen(DbCommand command)
    {
        if (Writes(command)) Evict().AsTask().GetAwaiter().GetResult();
    }

    private async ValueTask SeenAsync(DbCommand command)
    {
        if (Writes(command)) await Evict();
    }

    /// <summary>True when the command changed catalog rows outside a transaction; inside one, remembers it for the commit.</summary>
    private bool Writes(DbCommand command)
    {
        if (!CatalogWrite().IsMatch(command.CommandText)) return false;
        if (command.Transaction is null) return true;
        _pending.AddOrUpdate(command.Transaction, Written);
        return false;
    }

    private ValueTask Evict() => store.EvictByTagAsync(PageCache.Tag, CancellationToken.None);
}
