using System.CommandLine;
using Microsoft.Extensions.Options;
using PaperFeed.Cli;
using PaperFeed.Data;

namespace PaperFeed.Embeddings;

/// <summary>`embed-papers [--limit N]`: the embed-papers job's code, with progress on stderr; a second run resumes.</summary>
public sealed class EmbedPapersCommand : OperatorCommand
{
    private readonly Option<int?> _limit;

    public EmbedPapersCommand() : base("embed-papers", "compute the missing paper embeddings (semantic search, for you)", "usage: embed-papers [--limit N]")
    {
        _limit = Valued<int?>("--limit", "N", "embed at most N papers this run",
            (string text, out int? value) => (value = int.TryParse(text, out var n) && n > 0 ? n : null) is not null);
        Add(_limit);
    }

    // The one wording it had before: the usage line alone.
    public override string NotUnderstood(IReadOnlyList<string> tokens) => Usage;

    protected override async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct)
    {
        var limit = parse.GetValue(_limit);
        if (!services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Enabled)
            return Fail("embeddings are off (Embeddings:Enabled is false)");

        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var embedder = scope.ServiceProvider.GetRequiredService<PaperEmbedder>();
        var missing = await embedder.MissingAsync(ct);
        var todo = Math.Min(missing, limit ?? int.MaxValue);
        var progress = new ProgressReporter(Name, todo);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = await embedder.EmbedMissingAsync(limit, progress.Report, ct);
        progress.Done();
        await Console.Error.WriteLineAsync($"{count / Math.Max(clock.Elapsed.TotalSeconds, 0.001):0.0} papers/s, {missing - count} still without a vector");
        Console.WriteLine($"embedded {count} papers");
        return 0;
    }
}
