using System.ComponentModel.DataAnnotations;

namespace PaperFeed.Accounts;

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The first administrator: the account with this confirmed email gets the Admin role.</summary>
    [EmailAddress]
    public string? Email { get; set; }
}
