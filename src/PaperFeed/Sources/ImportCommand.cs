using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Cli;
using PaperFeed.Data;
using PaperFeed.Papers;
// Sources has a ParseResult of its own (a parser's papers).
using CommandLineParse = System.CommandLine.ParseResult;

namespace PaperFeed.Sources;

/// <summary>`import [--year YYYY] &lt;file-or-url&gt;...`: papers from files or addresses through the one ingest path.</summary>
public sealed class ImportCommand : OperatorCommand
{
    /// <summary>Records handed to the ingestor at a time.</summary>
    private const int ImportChunk = 10_000;
    // Imports of a few thousand papers already take seconds: show progress from there on.
    private const int ProgressFrom = 5_000;

    private readonly Option<int> _year;
    private readonly Argument<string[]> _inputs = new("file-or-url") { Description = "files or http(s) addresses; the format is read from the content", Arity = ArgumentArity.ZeroOrMore };

    public ImportCommand() : base("import", "add papers from HF JSON, arXiv listing/Atom, RSS/Atom files or addresses", "usage: import [--year YYYY] <file-or-url>...")
    {
        _year = Valued<int>("--year", "YYYY", "the year of dates written without one (saved search pages)",
            (string text, out int y) => int.TryParse(text, out y) && y is >= 1991 and <= 2200);
        _year.DefaultValueFactory = _ => DateTime.UtcNow.Year;
        Add(_year);
        Add(_inputs);
        // An unknown --option would otherwise be taken for a file name.
        Validators.Add(result =>
        {
            var inputs = result.GetValue(_inputs) ?? [];
            if (inputs.FirstOrDefault(i => i.StartsWith("--", StringComparison.Ordinal)) is { } unknown) result.AddError(NotUnderstood([unknown]));
            else if (inputs.Length == 0) result.AddError(Usage);
        });
    }

    public override string NotUnderstood(IReadOnlyList<string> tokens) =>
        tokens.Count == 1 ? $"unknown option {tokens[0]} ({Usage})" : base.NotUnderstood(tokens);

    protected override async Task<int> RunAsync(CommandLineParse parse, IServiceProvider services, CancellationToken ct)
    {
        var year = parse.GetValue(_year);
        var inputs = parse.GetValue(_inputs)!;
        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var fetcher = scope.ServiceProvider.GetRequiredService<SourceFetcher>();

        // Read and parse every input before writing anything: a bad input changes nothing. Large arXiv Atom files
        // are read twice instead, entry by entry (checked, then ingested), so memory stays flat whatever their size.
        var parsed = new List<(string Input, ImportFormat Format, ParseResult? Result, string? Streamed, int Count)>();
        // Streamed files are checked on every core at once; an unreadable one is reported by the loop below.
        var checks = ImportFormats.CountStreamed(inputs.Where(i => !IsRemote(i)).Select(CallerPath).Where(p =>
        {
            try { return ImportFormats.StreamableFormat(p) is not null; }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { return false; }
        }));
        foreach (var input in inputs)
        {
            var remote = IsRemote(input);
            if (!remote && Directory.Exists(CallerPath(input)))
                return Fail($"{input}: is a directory; give the files in it (for example {Path.Combine(input, "*.xml")})");
            string content;
            try
            {
                if (!remote && ImportFormats.StreamableFormat(CallerPath(input)) is { } streamable)
                {
                    var path = CallerPath(input);
                    parsed.Add((input, streamable, null, path, await (checks.TryGetValue(path, out var check) ? check : Task.FromResult(ImportFormats.ReadStreamed(path).Count()))));
                    continue;
                }
                content = remote
                    ? await fetcher.GetStringAsync(input, ct)
                    : await ReadFileAsync(CallerPath(input), services.GetRequiredService<IOptions<SourcesOptions>>().Value.MaxBodyBytes);
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
    /// Hugging Face's daily lists (its JSON, a saved daily page) belong to the seeded HF source (its days are the
    /// curated feed); every other format, a copied papers page included (search results, not HF's daily picks), to an
    /// import source of its own, so a paper's page says where it really came from.
    /// </summary>
    private static async Task<int> SourceForImportAsync(CatalogDbContext db, ImportFormat format)
    {
        var kind = ImportFormats.SourceKindFor(format);
        var dailyList = kind == SourceKind.HuggingFacePage && format != ImportFormat.HfCopiedText;
        if (dailyList)
        {
            var hf = await db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage || s.Kind == SourceKind.HuggingFaceApi)
                .OrderBy(s => s.Id).Select(s => (int?)s.Id).FirstOrDefaultAsync();
            if (hf is { } id) return id;
        }
        var name = Source.ImportPrefix + ImportFormats.Describe(format);
        var existing = await db.Sources.Where(s => s.Name == name).Select(s => (int?)s.Id).SingleOrDefaultAsync();
        if (existing is { } found) return found;
        var source = new Source { Name = name, Kind = SourceKind.Import, Url = "file:", Enabled = false, Curated = dailyList };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return source.Id;
    }

    private static bool IsRemote(string input) =>
        input.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || input.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

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
}
