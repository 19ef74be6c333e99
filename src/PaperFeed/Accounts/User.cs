using Microsoft.AspNetCore.Identity;

namespace PaperFeed.Accounts;

/// <summary>A reader with an account: votes, saved papers, submissions. Identity owns the sign-in fields.</summary>
public sealed class User : IdentityUser
{
    public DateTime CreatedAt { get; set; }

    /// <summary>The public name shown with the reader's comments and used in @mentions (lower case, see CommentText.Handle); null until chosen.</summary>
    public string? Handle { get; set; }

    /// <summary>Email me when someone replies to my comment or mentions my handle.</summary>
    public bool CommentEmails { get; set; } = true;

    /// <summary>Show the papers nearest my interests under my handle on /lab, to every signed-in member (off until the reader opts in).</summary>
    public bool ShareWithLab { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
}
