using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PaperFeed.Data;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Topics;

using PaperFeed.Synthetic;

namespace PaperFeed.Benchmarks;

/// <summary>
/// `ingest` (run by bench/ingest.sh): the same synthetic papers, as arXiv Atom files, go (1) through the normal
/// ingest path into a fresh PostgreSQL catalog, (2) as the very rows ingest writes, by binary COPY, into
/// another fresh catalog with the same schema and indexes (the database's ceiling), (3) through ingest again,
/// unchanged, counting the rows PostgreSQL says were written. Exit code 1 when the re-ingest wrote rows or the two
/// catalogs differ. Lives here, not in the app: the production binary must not ship a command that drops databases.
/// </summary>
public static class IngestBench
{
    private const int Chunk = 10_000;

    public static async Task<int> RunAsync(int papers, string server, string? atomFolder)
    {
        var catalog = new SyntheticCatalog(new SyntheticOptions(papers, Math.Max(1, papers / 700), 42, new DateOnly(2026, 11, 25)));
        var folder = atomFolder ?? Path.Combine(Path.GetTempPath(), $"paperfeed-ingest-bench-{papers}");
        if (!Directory.Exists(folder) || Directory.GetFiles(folder, "*.xml").Length == 0)
        {
            Console.Error.WriteLine($"writing {papers:N0} synthetic papers as Atom files to {folder}");
            SyntheticAtomWriter.Write(catalog, new SyntheticSources(0, new Dictionary<string, int>()), folder, Chunk);
        }
        var files = Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal).ToList();

        var clock = Stopwatch.StartNew();
        var records = files.SelectMany(ImportFormats.ReadStreamed).ToList();
        var parse = clock.Elapsed;
        Console.Error.WriteLine($"parsed {records.Count:N0} records in {parse.TotalSeconds:0.0} s");

        // 1. The normal ingest path, as `import` drives it.
        await using var ingestDb = await BenchDatabase.CreateAsync(server, "pf_bench_ingest");
        var ingest = await ingestDb.MeasureAsync(async services =>
        {
            var sourceId = await ImportSourceAsync(services);
            var ingestor = services.GetRequiredService<PaperIngestor>();
            var result = IngestResult.None;
            foreach (var chunk in records.Chunk(Chunk)) result = result.Add(await ingestor.IngestAsync(sourceId, chunk));
            if (result.New != records.Count) throw new InvalidOperationException($"ingest created {result.New} papers, expected {records.Count}");
        });
        Console.Error.WriteLine($"ingest: {ingest.Elapsed.TotalSeconds:0.0} s");

        var prepare = TimeSpan.Zero;
        // 2. The same rows by binary COPY, prepared beforehand (tagging included) so only the writing is timed.
        await using var copyDb = await BenchDatabase.CreateAsync(server, "pf_bench_copy");
        var copy = await copyDb.MeasureAsync(async services =>
        {
            var sourceId = await ImportSourceAsync(services);
            var db = services.GetRequiredService<CatalogDbContext>();
            var tagger = await services.GetRequiredService<TopicTaggerCache>().GetAsync(db, CancellationToken.None);
            var now = DateTime.UtcNow;
            var preparing = Stopwatch.StartNew();
            var batches = records.Chunk(Chunk).Select((chunk, b) =>
            {
                var rows = chunk.Select((r, i) =>
                {
                    var paper = PaperMerge.FromRecord(r, PaperIngestor.KeyFor(r), now);
                    paper.Id = b * Chunk + i + 1;
                    paper.MergeHash = PaperMerge.Fingerprint(paper); // computed here, so the timed COPY only writes
                    paper.Sources.Add(new PaperSource { PaperId = paper.Id, SourceId = sourceId, FirstSeenAt = now });
                    return paper;
                }).ToList();
                var topics = rows.SelectMany(p => tagger.Tag(p.Title, p.Abstract, p.AiKeywords, p.Categories).Select(t => (p.Id, t))).ToList();
                return new CatalogRows(rows, topics, []);
            }).ToList();
            prepare = preparing.Elapsed;
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            return await Stopwatch.StartNew().Also(async () =>
            {
                foreach (var rows in batches) await CatalogBulkWriter.WriteAsync(connection, rows);
                await CatalogBulkWriter.ResetPaperIdsAsync(connection);
            });
        });
        Console.Error.WriteLine($"copy: {copy.Elapsed.TotalSeconds:0.0} s");

        // 3. The same import again: nothing changed, so nothing may be written.
        var again = await ingestDb.MeasureAsync(async services =>
        {
            var sourceId = await ImportSourceAsync(services);
            var ingestor = services.GetRequiredService<PaperIngestor>();
            var result = IngestResult.None;
            foreach (var chunk in records.Chunk(Chunk)) result = result.Add(await ingestor.IngestAsync(sourceId, chunk));
            if (result.Unchanged != records.Count) throw new InvalidOperationException($"re-ingest found {records.Count - result.Unchanged} changed papers");
        });

        // The tables themselves, not the counters: ingest must have stored exactly the rows COPY wrote.
        var stored = await ingestDb.TableRowsAsync();
        var copied = await copyDb.TableRowsAsync();

        double Rate(TimeSpan t) => records.Count / t.TotalSeconds;
        Console.WriteLine($"ingest benchmark: {records.Count:N0} synthetic papers in {files.Count} arXiv Atom files, PostgreSQL at {new NpgsqlConnectionStringBuilder(server).Host}:{new NpgsqlConnectionStringBuilder(server).Port}, {Environment.ProcessorCount} cores");
        Console.WriteLine($"| step | seconds | papers/s | ratio | app CPU s | rows written (ins/upd/del) |");
        Console.WriteLine($"|---|---:|---:|---:|---:|---|");
        Console.WriteLine($"| parse Atom (streamed) | {parse.TotalSeconds:0.0} | {Rate(parse):N0} | | | |");
        Console.WriteLine($"| ingest (PaperIngestor) | {ingest.Elapsed.TotalSeconds:0.0} | {Rate(ingest.Elapsed):N0} | {copy.Elapsed / ingest.Elapsed:P0} of COPY | {ingest.Cpu.TotalSeconds:0.0} | {ingest.Rows} |");
        Console.WriteLine($"| (rows for COPY built in C#: merge + tagging, not timed below) | {prepare.TotalSeconds:0.0} | {Rate(prepare):N0} | | | |");
        Console.WriteLine($"| binary COPY, same rows and indexes | {copy.Elapsed.TotalSeconds:0.0} | {Rate(copy.Elapsed):N0} | 100% | {copy.Cpu.TotalSeconds:0.0} | {copy.Rows} |");
        Console.WriteLine($"| re-ingest unchanged | {again.Elapsed.TotalSeconds:0.0} | {Rate(again.Elapsed):N0} | | {again.Cpu.TotalSeconds:0.0} | {again.Rows} |");
        Console.WriteLine($"| rows in the tables after ingest / after COPY (papers, sources, topics) | {stored} / {copied} | | | | |");
        return again.Rows.Total == 0 && stored == copied ? 0 : 1;
    }

    private static async Task<Stopwatch> Also(this Stopwatch clock, Func<Task> work)
    {
        await work();
        clock.Stop();
        return clock;
    }

    private static async Task<int> ImportSourceAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<CatalogDbContext>();
        const string name = "Imported: arXiv API Atom";
        var existing = await db.Sources.Where(s => s.Name == name).Select(s => (int?)s.Id).SingleOrDefaultAsync();
        if (existing is { } id) return id;
        var source = new Source { Name = name, Kind = SourceKind.Import, Url = "file:", Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return source.Id;
    }

    public sealed record RowCounts(long Inserted, long Updated, long Deleted)
    {
        public long Total => Inserted + Updated + Deleted;
        public override string ToString() => $"{Inserted:N0} / {Updated:N0} / {Deleted:N0}";
    }

    /// <param name="Cpu">This process's CPU time meanwhile: the C# share, whatever else runs on the machine.</param>
    public sealed record Measurement(TimeSpan Elapsed, RowCounts Rows, TimeSpan Cpu);

    /// <summary>A fresh, migrated catalog database on the benchmark server, dropped at the end.</summary>
    private sealed class BenchDatabase : IAsyncDisposable
    {
        private readonly string _server;
        private readonly string _name;
        private readonly IHost _host;

        private BenchDatabase(string server, string name, IHost host) => (_server, _name, _host) = (server, name, host);

        public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

        public static async Task<BenchDatabase> CreateAsync(string server, string name)
        {
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration["Database:Provider"] = "Postgres";
            builder.Configuration["ConnectionStrings:Catalog"] = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
            builder.AddCatalog();
            builder.AddSources();
            builder.AddTopics();
            var host = builder.Build();
            await host.Services.PrepareCatalogAsync(forceMigrate: true);
            return new BenchDatabase(server, name, host);
        }

        /// <summary>Times the work (or the clock it returns) and counts the rows PostgreSQL wrote meanwhile.</summary>
        public Task<Measurement> MeasureAsync(Func<IServiceProvider, Task> work) =>
            MeasureAsync(async services => { var clock = Stopwatch.StartNew(); await work(services); clock.Stop(); return clock; });

        public async Task<Measurement> MeasureAsync(Func<IServiceProvider, Task<Stopwatch>> work)
        {
            await using (var vacuum = new NpgsqlConnection(ConnectionString))
            {
                await vacuum.OpenAsync();
                await using var command = new NpgsqlCommand("VACUUM ANALYZE", vacuum) { CommandTimeout = 0 };
                await command.ExecuteNonQueryAsync();
            }
            var before = await RowsWrittenAsync();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            Stopwatch clock;
            using (var scope = _host.Services.CreateScope()) clock = await work(scope.ServiceProvider);
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            // Backends report their counters once a second at most, and an idle one only after 10 s.
            await Task.Delay(TimeSpan.FromSeconds(11));
            var after = await RowsWrittenAsync();
            return new Measurement(clock.Elapsed, new RowCounts(after.Inserted - before.Inserted, after.Updated - before.Updated, after.Deleted - before.Deleted), cpu);
        }

        public async Task<string> TableRowsAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT count(*) FROM "Papers"), (SELECT count(*) FROM "PaperSources"), (SELECT count(*) FROM "PaperTopics")
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return $"{reader.GetInt64(0):N0}, {reader.GetInt64(1):N0}, {reader.GetInt64(2):N0}";
        }

        private async Task<RowCounts> RowsWrittenAsync()
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT coalesce(sum(n_tup_ins), 0)::bigint, coalesce(sum(n_tup_upd), 0)::bigint, coalesce(sum(n_tup_del), 0)::bigint
                FROM pg_stat_user_tables WHERE schemaname = 'public'
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new RowCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }

        public async ValueTask DisposeAsync()
        {
            _host.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
