using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Sources;
using PaperFeed.Synthetic;
using PaperFeed.Topics;
using Serilog;

namespace PaperFeed.Cli;

/// <summary>
/// The same binary's operator commands: import, backfill, migrate, send-digests, digests status, seed-synthetic.
/// Each runs the code paths the site uses. (The ingest benchmark, which drops databases, lives in bench/.)
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["import", "migrate", "backfill", "send-digests", "digests", "seed-synthetic", "embed-papers"];

    public static bool IsCommand(string[] args) => args.Length > 0 && (Commands.Contains(args[0]) || IsHelp(args[0]));

    private static bool IsHelp(string arg) => arg is "help" or "--help" or "-h";

    /// <summary>What `PaperFeed help` prints: every command with its options (the site starts when no command is given).</summary>
    public const string Usage = """
        usage: PaperFeed [command]            (no command: run the site)
          import [--year YYYY] <file-or-url>...   add papers from HF JSON, arXiv listing/Atom, RSS/Atom files or addresses
          backfill --source <name> --from YYYY-MM-DD --to YYYY-MM-DD   fetch past days of a source (resumes where it stopped)
          migrate                               bring the catalog schema up to date
          send-digests                          send the digests due now
          digests status                        subscriptions, due, pending, sent and failed digests
          seed-synthetic --papers N --days N [--seed N] [--end YYYY-MM-DD] [--atom-out DIR [--per-file N]]   fill a test catalog
          embed-papers [--limit N]              compute the missing paper embeddings (semantic search, for you)
          help                                  this text
        Settings come from appsettings.json beside the binary and the environment (Database__Provider, ConnectionStrings__Catalog, ...).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (IsHelp(args[0]))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = PaperFeed.Site.ContentRoot.ForCommands() });
        builder.Services.AddSerilog((_, log) => log.ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning));
        // The site's own services (Program.cs), without the web parts.
        builder.AddPaperFeedCore();
        using var host = builder.Build();

        try
        {
            switch (args[0])
            {
                case "migrate":
                    await host.Services.PrepareCatalogAsync(forceMigrate: true);
                    Console.WriteLine("the catalog schema is up to date");
                    return 0;
                case "import":
                    return await ImportAsync(host.Services, args[1..]);
                case "backfill":
                    return await BackfillAsync(host.Services, args[1..]);
                case "send-digests":
                    return await SendDigestsAsync(host.Services);
                case "digests" when args.Length > 1 && args[1] == "status":
                    return await DigestStatusAsync(host.Services);
                case "seed-synthetic":
                    return await SeedSyntheticAsync(host.Services, args[1..]);
                case "embed-papers":
                    return await EmbedPapersAsync(host.Services, args[1..]);
                default:
                    await Console.Error.WriteLineAsync($"{string.Join(' ', args)}: not understood; `help` lists the commands");
                    return 2;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"{args[0]} failed: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> SendDigestsAsync(IServiceProvider services)
    {
        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<SendDigestsJob>();
        var result = await job.RunOnceAsync(Console.WriteLine, CancellationToken.None);
        Console.WriteLine($"sent {result.Sent} digests: {result.Composed} composed, {result.Sent} sent, {result.Failed} failed");
        return 0;
    }

    private static async Task<int> DigestStatusAsync(IServiceProvider services)
    {
        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var active = await db.Subscriptions.AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active).ToListAsync();
        var catchUp = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DigestSendingOptions>>().Value.CatchUpDays;
        var periods = active.SelectMany(s => DigestPeriod.Due(s, now, catchUp).Select(p => (s.Id, Period: (DigestPeriod?)p))).ToList();
        var periodIds = periods.Select(x => x.Period!.Id).Distinct().ToList();
        var recorded = (await db.DigestDeliveries.Where(d => periodIds.Contains(d.Period)).Select(d => new { d.SubscriptionId, d.Period }).ToListAsync())
            .Select(d => (d.SubscriptionId, d.Period)).ToHashSet();
        var dueNow = periods.Count(x => !recorded.Contains((x.Id, x.Period!.Id)));
        var since = now.UtcDateTime.Date;
        var pending = await db.DigestDeliveries.CountAsync(d => d.SentAt == null && !d.Abandoned);
        var retrying = await db.DigestDeliveries.CountAsync(d => d.SentAt == null && !d.Abandoned && d.LastError != null);
        var sentToday = await db.DigestDeliveries.CountAsync(d => d.SentAt >= since);
        var abandoned = await db.DigestDeliveries.CountAsync(d => d.Abandoned);
        var suspended = await db.Subscriptions.CountAsync(s => s.Status == SubscriptionStatus.Suspended);
        Console.WriteLine($"active subscriptions: {active.Count}");
        Console.WriteLine($"due now (not composed yet): {dueNow}");
        Console.WriteLine($"pending deliveries: {pending} ({retrying} failed, waiting for a retry)");
        Console.WriteLine($"sent today (UTC): {sentToday}");
        Console.WriteLine($"failed/abandoned deliveries: {abandoned}");
        Console.WriteLine($"suspended subscriptions: {suspended}");
        return 0;
    }

    private static async Task<int> BackfillAsync(IServiceProvider services, string[] args)
    {
        const string usage = "usage: backfill --source <name> --from YYYY-MM-DD --to YYYY-MM-DD";
        string? name = null;
        DateOnly? from = null, to = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--source": name = args[i + 1]; break;
                case "--from" when DateOnly.TryParseExact(args[i + 1], "yyyy-MM-dd", out var f): from = f; break;
                case "--to" when DateOnly.TryParseExact(args[i + 1], "yyyy-MM-dd", out var t): to = t; break;
                default: return Fail($"{args[i]} {args[i + 1]}: not understood ({usage})");
            }
        }
        if (name is null || from is null || to is null || args.Length % 2 != 0) return Fail(usage);
        if (from > to) return Fail("--from is after --to");

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var source = await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name);
        if (source is null) return Fail($"no source named '{name}' (see /sources)");
        if (!Backfill.CanBackfill(source)) return Fail($"{source.Name} ({source.Kind}) only serves the current day and cannot be backfilled");

        var backfill = scope.ServiceProvider.GetRequiredService<Backfill>();
        var start = await backfill.StartAsync(source, from.Value, to.Value, CancellationToken.None);
        if (start > from) Console.WriteLine($"resuming at {start:yyyy-MM-dd}, where the last run stopped");
        var total = IngestResult.None;
        var days = to.Value.DayNumber - start.DayNumber + 1;
        for (var (day, n) = (start, 1); day <= to; day = day.AddDays(1), n++)
        {
            IngestResult result;
            try
            {
                result = await backfill.DayAsync(source, day, CancellationToken.None);
            }
            catch (Exception ex) when (ex is FetchException or SourceFormatException)
            {
                return Fail($"{day:yyyy-MM-dd}: {ex.Message} (run the same command again to resume here)");
            }
            total = total.Add(result);
            Console.WriteLine($"[{n}/{days}] {day:yyyy-MM-dd}: {result.Total} papers, {result.New} new, {result.Updated} updated");
        }
        await backfill.FinishAsync(source, CancellationToken.None);
        Console.WriteLine($"backfilled {total.Total} papers: {total.New} new, {total.Updated} updated");
        return 0;
    }

    /// <summary>Records handed to the ingestor at a time by `import`.</summary>
    private const int ImportChunk = 10_000;
    // Imports of a few thousand papers already take seconds: show progress from there on.
    private const int ProgressFrom = 5_000;

    private static async Task<int> ImportAsync(IServiceProvider services, string[] args)
    {
        var year = DateTime.UtcNow.Year;
        var inputs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--year" && i + 1 < args.Length && int.TryParse(args[i + 1], out var y) && y is >= 1991 and <= 2200) { year = y; i++; }
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) return Fail($"unknown option {args[i]} (usage: import [--year YYYY] <file-or-url>...)");
            else inputs.Add(args[i]);
        }
        if (inputs.Count == 0) return Fail("usage: import [--year YYYY] <file-or-url>...");

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var fetcher = scope.ServiceProvider.GetRequiredService<SourceFetcher>();

        // Read and parse every input before writing anything: a bad input changes nothing. Large arXiv Atom files
        // are read twice instead, entry by entry (checked, then ingested), so memory stays flat whatever their size.
        var parsed = new List<(string Input, ImportFormat Format, ParseResult? Result, string? Streamed, int Count)>();
        // Streamed files are checked on every core at once; an unreadable one is reported by the loop below.
        var checks = ImportFormats.CountStreamed(inputs.Where(i => !IsRemote(i)).Select(ResolvePath).Where(p =>
        {
            try { return ImportFormats.StreamableFormat(p) is not null; }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { return false; }
        }));
        foreach (var input in inputs)
        {
            var remote = IsRemote(input);
            if (!remote && Directory.Exists(ResolvePath(input)))
                return Fail($"{input}: is a directory; give the files in it (for example {Path.Combine(input, "*.xml")})");
            string content;
            try
            {
                if (!remote && ImportFormats.StreamableFormat(ResolvePath(input)) is { } streamable)
                {
                    var path = ResolvePath(input);
                    parsed.Add((input, streamable, null, path, await (checks.TryGetValue(path, out var check) ? check : Task.FromResult(ImportFormats.ReadStreamed(path).Count()))));
                    continue;
                }
                content = remote
                    ? await fetcher.GetStringAsync(input, CancellationToken.None)
                    : await ReadFileAsync(ResolvePath(input), services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SourcesOptions>>().Value.MaxBodyBytes);
            }
            catch (System.Text.DecoderFallbackException ex)
            {
                return Fail($"{input}: {TextDecoding.Refusal(ex)}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FetchException or ArgumentException or NotSupportedException)
            {
                return Fail($"{input}: cannot read: {ex.Message}");
            }
            catch (SourceFormatException ex)
            {
                return Fail($"{input}: {ex.Message}");
            }
            try
            {
                var (format, result) = ImportFormats.Parse(content, year);
                parsed.Add((input, format, result, null, result.Papers.Count));
            }
            catch (SourceFormatException ex)
            {
                return Fail($"{input}: {ex.Message}");
            }
        }

        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var ingestor = scope.ServiceProvider.GetRequiredService<PaperIngestor>();
        var total = IngestResult.None;
        var all = parsed.Sum(p => (long)p.Count);
        var progress = all >= ProgressFrom ? new ProgressReporter("import", all) : null;
        foreach (var (input, format, result, streamed, _) in parsed)
        {
            var sourceId = await SourceForImportAsync(db, format);
            var outcome = IngestResult.None;
            await foreach (var chunk in ImportFormats.ReadAheadAsync(streamed is null ? result!.Papers.Chunk(ImportChunk) : ImportFormats.ReadStreamed(streamed).Chunk(ImportChunk)))
            {
                outcome = outcome.Add(await ingestor.IngestAsync(sourceId, chunk));
                progress?.Report(total.Total + outcome.Total);
            }
            total = total.Add(outcome);
            Console.WriteLine($"{input}: {ImportFormats.Describe(format)}, {outcome.Total} papers: {outcome.New} new, {outcome.Updated} updated");
        }
        progress?.Done();
        Console.WriteLine($"imported {total.Total} papers: {total.New} new, {total.Updated} updated");
        return 0;
    }

    /// <summary>
    /// Hugging Face imports belong to the seeded HF source (its days are the curated feed); every other
    /// format to an import source of its own, so a paper shows each place it came from.
    /// </summary>
    private static async Task<int> SourceForImportAsync(CatalogDbContext db, ImportFormat format)
    {
        var kind = ImportFormats.SourceKindFor(format);
        if (kind == SourceKind.HuggingFacePage)
        {
            var hf = await db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage || s.Kind == SourceKind.HuggingFaceApi)
                .OrderBy(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync();
            if (hf is { } id) return id;
        }
        var name = Source.ImportPrefix + ImportFormats.Describe(format);
        var existing = await db.Sources.Where(s => s.Name == name).Select(s => (int?)s.Id).SingleOrDefaultAsync();
        if (existing is { } found) return found;
        var source = new Source { Name = name, Kind = SourceKind.Import, Url = "file:", Enabled = false, Curated = kind == SourceKind.HuggingFacePage };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return source.Id;
    }

    /// <summary>
    /// `dotnet run` starts the app in its project folder; a relative path means the caller's folder,
    /// which the shell still names in PWD.
    /// </summary>
    private static bool IsRemote(string input) =>
        input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static string ResolvePath(string input)
    {
        if (Path.IsPathRooted(input)) return input;
        var callerDir = Environment.GetEnvironmentVariable("PWD");
        if (!string.IsNullOrEmpty(callerDir) && Directory.Exists(callerDir))
        {
            var fromCaller = Path.GetFullPath(Path.Combine(callerDir, input));
            if (File.Exists(fromCaller) || !File.Exists(input)) return fromCaller;
        }
        return input;
    }

    /// <summary>
    /// A file read up to the fetcher's body cap: a device (/dev/zero, /dev/urandom) or a huge file is refused with a
    /// line instead of being read until memory runs out.
    /// </summary>
    private static async Task<string> ReadFileAsync(string path, long maxChars)
    {
        using var reader = ImportFormats.OpenText(path);
        var text = new System.Text.StringBuilder();
        var buffer = new char[81920];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length + read > maxChars) throw new IOException($"larger than the {maxChars / 1_000_000} MB limit (Sources:MaxBodyBytes)");
            text.Append(buffer, 0, read);
        }
        return text.ToString();
    }

    private static async Task<int> SeedSyntheticAsync(IServiceProvider services, string[] args)
    {
        const string usage = "usage: seed-synthetic --papers N --days N [--seed N] [--end YYYY-MM-DD] [--atom-out DIR [--per-file N]]";
        int papers = 0, days = 0, seed = 42, perFile = 10_000;
        string? atomOut = null;
        var end = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            var ok = args[i] switch
            {
                "--papers" => int.TryParse(value, out papers) && papers > 0,
                "--days" => int.TryParse(value, out days) && days > 0,
                "--seed" => int.TryParse(value, out seed),
                "--end" => DateOnly.TryParseExact(value, "yyyy-MM-dd", out end),
                "--atom-out" => (atomOut = value) is { Length: > 0 },
                "--per-file" => int.TryParse(value, out perFile) && perFile > 0,
                _ => false,
            };
            if (!ok) return Fail($"{args[i]} {value}: not understood ({usage})");
        }
        if (papers == 0 || days == 0) return Fail(usage);
        SyntheticCatalog catalog;
        try
        {
            catalog = new SyntheticCatalog(new SyntheticOptions(papers, days, seed, end));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return Fail(ex.Message.Split(" (Parameter", 2)[0]);
        }

        if (atomOut is not null)
        {
            // Files for `import` at scale, instead of the catalog: the arXiv side of the same papers.
            var folder = ResolvePath(atomOut);
            var writing = new ProgressReporter("seed-synthetic", papers);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var files = SyntheticAtomWriter.Write(catalog, new SyntheticSources(0, new Dictionary<string, int>()), folder, perFile, writing.Report);
            writing.Done();
            Console.WriteLine($"wrote {papers} papers to {files.Count} Atom files in {folder} in {clock.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var seeder = ActivatorUtilities.CreateInstance<SyntheticSeeder>(scope.ServiceProvider);
        var progress = new ProgressReporter("seed-synthetic", papers);
        var summary = await seeder.SeedAsync(catalog, progress.Report);
        progress.Done();
        Console.WriteLine($"seeded {summary.Papers} papers over {days} days ({catalog.FirstDay:yyyy-MM-dd} to {end:yyyy-MM-dd}, seed {seed}): "
            + $"{summary.Listings} listings, {summary.Topics} topic tags, {summary.Snapshots} upvote snapshots in {summary.Elapsed.TotalSeconds:0.0} s ({summary.PapersPerSecond:0} papers/s)");
        return 0;
    }

    /// <summary>`embed-papers [--limit N]`: the embed-papers job's code, with progress on stderr; a second run resumes.</summary>
    private static async Task<int> EmbedPapersAsync(IServiceProvider services, string[] args)
    {
        int? limit = null;
        if (args is ["--limit", var value] && int.TryParse(value, out var n) && n > 0) limit = n;
        else if (args.Length > 0) return Fail("usage: embed-papers [--limit N]");
        if (!services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Embeddings.EmbeddingsOptions>>().Value.Enabled)
            return Fail("embeddings are off (Embeddings:Enabled is false)");

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var embedder = scope.ServiceProvider.GetRequiredService<Embeddings.PaperEmbedder>();
        var missing = await embedder.MissingAsync(CancellationToken.None);
        var todo = Math.Min(missing, limit ?? int.MaxValue);
        var progress = new ProgressReporter("embed-papers", todo);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = await embedder.EmbedMissingAsync(limit, progress.Report, CancellationToken.None);
        progress.Done();
        await Console.Error.WriteLineAsync($"{count / Math.Max(clock.Elapsed.TotalSeconds, 0.001):0.0} papers/s, {missing - count} still without a vector");
        Console.WriteLine($"embedded {count} papers");
        return 0;
    }

    private static int Fail(string reason)
    {
        Console.Error.WriteLine(reason);
        return 1;
    }
}
