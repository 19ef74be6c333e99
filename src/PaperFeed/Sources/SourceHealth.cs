namespace PaperFeed.Sources;

/// <summary>What the health column says of something run on a schedule: a source, or a chat channel (shown alike).</summary>
public enum SourceHealth
{
    Paused,
    /// <summary>The last run failed (the count of failures in a row and the error are on the row).</summary>
    Failing,
    NotRunYet,
    Healthy,
}

public static class SourceHealthRule
{
    public static SourceHealth Of(bool enabled, int consecutiveFailures, DateTime? lastSuccessAt) =>
        !enabled ? SourceHealth.Paused
        : consecutiveFailures > 0 ? SourceHealth.Failing
        : lastSuccessAt is null ? SourceHealth.NotRunYet
        : SourceHealth.Healthy;
}
