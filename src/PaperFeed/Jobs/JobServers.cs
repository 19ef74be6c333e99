using Hangfire;

namespace PaperFeed.Jobs;

/// <summary>
/// Whether any instance runs a Hangfire server (a recent heartbeat in the shared job storage). Pages that queue work say
/// so honestly: with <c>Jobs:RunServer=false</c> everywhere, queued work waits — and with in-memory storage it is lost on restart.
/// </summary>
public sealed class JobServers(JobStorage storage, TimeProvider time)
{
    // Hangfire beats every 30 s by default; two minutes of silence means the server is gone.
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(2);

    public bool AnyRunning()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return storage.GetMonitoringApi().Servers().Any(s => s.Heartbeat is { } beat && now - beat < Silence);
    }

    /// <summary>The sentence after "queued" when nobody will run it.</summary>
    public const string NoServer = "No job server is running (Jobs__RunServer is false here and no other instance runs one), so it waits until one starts.";
}
