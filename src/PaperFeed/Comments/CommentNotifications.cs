using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Papers;

namespace PaperFeed.Comments;

/// <summary>
/// After a comment is saved: one plain-text email to the author of the comment it answers and one to each reader it
/// @mentions (at most <see cref="CommentText.MentionsNotified"/>), never two to one reader, never to the writer, only to
/// confirmed addresses whose owner left <see cref="User.CommentEmails"/> on. Plain text: nothing a comment holds can
/// become markup or script in a mail client. A failed send is logged and loses no comment. Edits notify nobody.
/// </summary>
public sealed class CommentNotifications(CatalogDbContext db, AccountMail mail, AccountLinks links, ILogger<CommentNotifications> logger)
{
    public async Task SendAsync(Comment comment, string writer, string? repliedToUserId, CancellationToken ct)
    {
        var mentioned = CommentText.Mentions(comment.Body);
        var recipients = await db.Users.AsNoTracking()
            .Where(u => u.Id != comment.UserId && u.CommentEmails && u.EmailConfirmed && u.Email != null
                && (u.Id == repliedToUserId || (u.Handle != null && mentioned.Contains(u.Handle))))
            .Select(u => new { u.Id, u.Email }).ToListAsync(ct);
        if (recipients.Count == 0) return;
        var paper = await db.Papers.AsNoTracking().Where(p => p.Id == comment.PaperId).Select(p => new { p.Key, p.Title }).SingleAsync(ct);
        var link = links.Absolute($"{PaperLinks.PagePath(paper.Key, paper.Title)}#c-{comment.Id}");
        var title = PaperLinks.Shorten(paper.Title, 120);
        foreach (var recipient in recipients)
        {
            var reply = recipient.Id == repliedToUserId;
            var subject = reply ? $"{writer} replied to your comment on \"{title}\"" : $"{writer} mentioned you on \"{title}\"";
            var text = $"{subject}:\n\n{comment.Body}\n\nRead and answer: {link}\n\n"
                + $"To stop these emails, turn off \"Email me about replies and mentions\" on {links.Absolute("/account")}";
            try
            {
                await mail.SendAsync(recipient.Email!, subject, text, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Comment {CommentId}: email to {UserId} failed", comment.Id, recipient.Id);
            }
        }
        logger.LogInformation("Comment {CommentId}: {Emails} emails about replies and mentions", comment.Id, recipients.Count);
    }
}
