using System.CommandLine;
using PaperFeed.Cli;
using PaperFeed.Data;

namespace PaperFeed.Digests;

/// <summary>`send-digests`: one run of the send-digests job, now (compose what is due, send what is not sent).</summary>
public sealed class SendDigestsCommand() : OperatorCommand("send-digests", "send the digests due now", "usage: send-digests")
{
    protected override async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct)
    {
        await services.PrepareCatalogAsync();
        using var scope = services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<SendDigestsJob>();
        var result = await job.RunOnceAsync(Console.WriteLine, ct);
        Console.WriteLine($"sent {result.Sent} digests: {result.Composed} composed, {result.Sent} sent, {result.Failed} failed");
        return 0;
    }
}
