using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Digests;

public sealed class DigestOptions
{
    public const string Section = "Digests";

    /// <summary>Hours a subscription's confirmation link stays valid.</summary>
    [Range(0.0001, 24 * 30)]
    public double ConfirmHours { get; set; } = 48;

    /// <summary>Days after which an unconfirmed subscription request is deleted.</summary>
    [Range(1, 365)]
    public int PendingExpiryDays { get; set; } = 7;

    /// <summary>Permanent delivery failures in a row after which a subscription is suspended.</summary>
    [Range(1, 100)]
    public int MaxPermanentFailures { get; set; } = 3;

    /// <summary>Cron of the expire-subscriptions job (deletes unconfirmed requests past PendingExpiryDays).</summary>
    [Required]
    public string ExpireSubscriptionsCron { get; set; } = "41 3 * * *";
}
