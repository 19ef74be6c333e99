using Microsoft.AspNetCore.Identity;

namespace PaperFeed.Accounts;

/// <summary>A reader with an account: votes, saved papers, submissions. Identity owns the sign-in fields.</summary>
public sealed class User : IdentityUser
{
    public DateTime CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
}
