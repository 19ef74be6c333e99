using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Digests;

/// <summary>Composing and sending digests (Section "Digests:Sending").</summary>
public sealed class DigestSendingOptions
{
    public const string Section = "Digests:Sending";

    /// <summary>Cron of the send-digests job (due subscriptions are found each run).</summary>
    [Required]
    public string Cron { get; set; } = "*/15 * * * *";

    /// <summary>Permanent (5xx) failures in a row after which a subscription is suspended.</summary>
    [Range(1, 100)]
    public int MaxPermanentFailures { get; set; } = 3;

    /// <summary>Days a missed digest (the app was down when it was due) may still be sent late, once; 0 sends only the current period.</summary>
    [Range(0, 14)]
    public int CatchUpDays { get; set; } = 3;

    /// <summary>Digests composed and recorded per transaction.</summary>
    [Range(1, 10_000)]
    public int ComposeBatchSize { get; set; } = 200;

    /// <summary>Seconds a sending run holds the deliveries it claimed; another instance (or a restart after a crash) retries them after this.</summary>
    [Range(1, 86_400)]
    public int ClaimSeconds { get; set; } = 600;

    /// <summary>Minutes before each retry of a transient failure (the last value repeats).</summary>
    [MinLength(1)]
    public int[] RetryMinutes { get; set; } = [1, 5, 30, 120, 360];

    /// <summary>Deliveries sent per transport call (one SMTP connection each, at most Smtp:MessagesPerConnection).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// SMTP connections sending at once, each with its own batches. A crash can leave one possible duplicate per open
    /// connection (its message in flight), resent with the same Message-ID and logged.
    /// </summary>
    [Range(1, 32)]
    public int Connections { get; set; } = 4;

    public TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(RetryMinutes[Math.Clamp(attempts - 1, 0, RetryMinutes.Length - 1)]);
}
