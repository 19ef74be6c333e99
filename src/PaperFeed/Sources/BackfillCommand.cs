using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Cli;
using PaperFeed.Data;
using PaperFeed.Papers;
// Sources has a ParseResult of its own (a parser's papers).
using CommandLineParse = System.CommandLine.ParseResult;

namespace PaperFeed.Sources;

/// <summary>`backfill --source NAME --from D --to D`: past days of a source, one at a time; a second run resumes where one stopped.</summary>
public sealed class BackfillCommand : OperatorCommand
{
    private readonly Option<string> _source = new("--source") { HelpName = "name", Description = "the source's name, as on /sources" };
    private readonly Option<DateOnly> _from;
    private readonly Option<DateOnly> _to;

    public BackfillCommand() : base("backfill", "fetch past days of a source (resumes where it stopped)", "usage: backfill --source <name> --from YYYY-MM-DD --to YYYY-MM-DD")
    {
        _from = Valued<DateOnly>("--from", "YYYY-MM-DD", "the first day", Day);
        _to = Valued<DateOnly>("--to", "YYYY-MM-DD", "the last day", Day);
        Add(_source);
        Add(_from);
        Add(_to);
        // All three are needed; missing ones are the usage line, as before the options had a parser.
        Validators.Add(result =>
        {
            if (result.GetResult(_source) is null || result.GetResult(_from) is null || result.GetResult(_to) is null) result.AddError(Usage);
        });
    }

    protected override async Task<int> RunAsync(CommandLineParse parse, IServiceProvider services, CancellationToken ct)
    {
        var (name, from, to) = (parse.GetValue(_source)!, parse.GetValue(_from), parse.GetValue(_to));
        if (from > to) return Fail("--from is after --to");

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
        var source = await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, ct);
        if (source is null) return Fail($"no source named '{name}' (see /sources)");
        if (!Backfill.CanBackfill(source)) return Fail($"{source.Name} ({source.Kind}) only serves the current day and cannot be backfilled");

        var backfill = scope.ServiceProvider.GetRequiredService<Backfill>();
        var start = await backfill.StartAsync(source, from, to, ct);
        if (start > from) Console.WriteLine($"resuming at {start:yyyy-MM-dd}, where the last run stopped");
        var total = IngestResult.None;
        var days = to.DayNumber - start.DayNumber + 1;
        for (var (day, n) = (start, 1); day <= to; day = day.AddDays(1), n++)
        {
            IngestResult result;
            try
            {
                result = await backfill.DayAsync(source, day, ct);
            }
            catch (Exception ex) when (ex is FetchException or SourceFormatException)
            {
                return Fail($"{day:yyyy-MM-dd}: {ex.Message} (run the same command again to resume here)");
            }
            total = total.Add(result);
            Console.WriteLine($"[{n}/{days}] {day:yyyy-MM-dd}: {result.Total} papers, {result.New} new, {result.Updated} updated");
        }
        await backfill.FinishAsync(source, ct);
        Console.WriteLine($"backfilled {total.Total} papers: {total.New} new, {total.Updated} updated");
        return 0;
    }
}
