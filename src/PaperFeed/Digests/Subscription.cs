namespace PaperFeed.Digests;

public enum SubscriptionStatus
{
    /// <summary>Asked for, not confirmed yet: nothing is sent; expires.</summary>
    Pending,
    Active,
    /// <summary>The reader paused it from the preferences page.</summary>
    Paused,
    Unsubscribed,
    /// <summary>Too many permanent delivery failures (the address bounces).</summary>
    Suspended,
}

public enum DigestFrequency { Daily, Weekly }

public enum DigestFormat { Html, Text }

/// <summary>An email address that receives the digest, with its preferences. No account needed.</summary>
public sealed class Subscription
{
    public long Id { get; set; }
    /// <summary>Lower-cased, trimmed: one subscription per address.</summary>
    public required string Email { get; set; }
    /// <summary>The account it belongs to, when the reader has one.</summary>
    public string? UserId { get; set; }
    public SubscriptionStatus Status { get; set; } = SubscriptionStatus.Pending;
    public DateTime CreatedAt { get; set; }
    /// <summary>When it last became active or changed its schedule: digests missed while the app was down are caught up only after this.</summary>
    public DateTime? ActivatedAt { get; set; }
    public DateTime? UnsubscribedAt { get; set; }

    public DigestFrequency Frequency { get; set; } = DigestFrequency.Daily;
    /// <summary>For weekly digests, the day they go out.</summary>
    public DayOfWeek WeeklyDay { get; set; } = DayOfWeek.Monday;
    /// <summary>Hour (0-23) in <see cref="TimeZone"/> from which the digest is due.</summary>
    public int SendHour { get; set; } = 7;
    /// <summary>IANA time zone of the reader.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Topic slugs (curated topics and arXiv categories); empty means every paper.</summary>
    public List<string> Topics { get; set; } = [];
    public List<string> IncludeKeywords { get; set; } = [];
    public List<string> MuteKeywords { get; set; } = [];
    public int MinVotes { get; set; }
    public int MaxPapers { get; set; } = 10;
    public DigestFormat Format { get; set; } = DigestFormat.Html;
    /// <summary>
    /// The reader turned "Order my digest for me" off: the site's order even when their account has signals. Stored as the
    /// opt-out so the default (ranked) is false, every existing row included.
    /// </summary>
    public bool SiteOrder { get; set; }

    /// <summary>Permanent (5xx) failures in a row; past the configured limit the subscription is suspended.</summary>
    public int PermanentFailures { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// One digest for one subscription and one period ("2026-06-12" or "2026-W24"): written before sending, stamped when
/// the SMTP server accepts it. The unique (subscription, period) index is what makes a second copy impossible.
/// </summary>
public sealed class DigestDelivery
{
    public long Id { get; set; }
    public long SubscriptionId { get; set; }
    public Subscription Subscription { get; set; } = null!;
    public required string Period { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Stable across retries, derived from this row, so a resend after a crash is recognisably the same message.</summary>
    public required string MessageId { get; set; }
    public required string Subject { get; set; }
    /// <summary>Rows composed before the stored message (<see cref="Mime"/>): the HTML and text the sender builds a message from.</summary>
    public string? Html { get; set; }
    public required string Text { get; set; }
    /// <summary>
    /// The message ready to send (MIME bytes, CRLF, DKIM-signed where configured), written when composing so sending is copy + SMTP
    /// and a resend after a crash is the same bytes. Cleared once the row is sent or abandoned (50,000 readers × ~10 KB a day).
    /// </summary>
    public byte[]? Mime { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Given up (a permanent failure, or the subscription ended before it was sent).</summary>
    public bool Abandoned { get; set; }
}

/// <summary>A paper a subscriber was sent: never sent to them again.</summary>
public sealed class DigestPaper
{
    public long SubscriptionId { get; set; }
    public long PaperId { get; set; }
    public long DeliveryId { get; set; }
}
