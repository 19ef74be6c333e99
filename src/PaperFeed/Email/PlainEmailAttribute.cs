using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace PaperFeed.Email;

/// <summary>
/// An address and nothing else: no display name ("Mallory &lt;a@b&gt;"), group, comment, quoted part, whitespace or line
/// break. [EmailAddress] only asks for one "@"; what we store and put in a To header must be a bare mailbox.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PlainEmailAttribute : ValidationAttribute
{
    public PlainEmailAttribute() : base("Enter an email address such as name@example.org.") { }

    // Surrounding spaces are trimmed by the pages (a pasted address often has them); spaces inside are refused.
    public override bool IsValid(object? value) => value is null || (value is string s && IsPlain(s.Trim()));

    public static bool IsPlain(string? value)
    {
        if (value is not { Length: >= 3 and <= 254 }) return false;
        foreach (var c in value)
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or ':' or '"' or '(' or ')' or '[' or ']' or '\\') return false;
        var at = value.IndexOf('@');
        return at > 0 && at == value.LastIndexOf('@') && at < value.Length - 1
            && MailboxAddress.TryParse(value, out var mailbox) && string.IsNullOrEmpty(mailbox.Name) && mailbox.Address == value;
    }
}
