using Microsoft.Extensions.Options;
using MimeKit;
using PaperFeed.Accounts;

namespace PaperFeed.Email;

/// <summary>
/// The short plain-text emails of accounts and subscriptions, each a method here (texts in one place, links absolute),
/// and <see cref="SendAsync"/> for the other features' notices (comments).
/// </summary>
public sealed class AccountMail(IMailTransport transport, IOptions<SmtpOptions> smtp, AccountLinks links)
{
    public Task ConfirmAccountAsync(string email, string userId, string code, CancellationToken ct) =>
        SendAsync(email, "Confirm your PaperFeed account",
            $"Welcome to PaperFeed.\n\nConfirm your address to sign in: {links.ConfirmEmail(userId, code)}\n\nIf you did not register, ignore this email: the account stays inactive.", ct);

    /// <summary>To an address that already has an account (the page answers as if it were new, so it tells no one).</summary>
    public Task AlreadyRegisteredAsync(string email, CancellationToken ct) =>
        SendAsync(email, "Someone tried to register with your address",
            $"Someone (perhaps you) tried to create a PaperFeed account with this address, which already has one.\n\nSign in: {links.Absolute("/account/login")}\nForgot your password? {links.Absolute("/account/forgot")}\n\nIf it was not you, you can ignore this email.", ct);

    public Task ResetPasswordAsync(string email, string code, CancellationToken ct) =>
        SendAsync(email, "Reset your PaperFeed password",
            $"Choose a new password here: {links.ResetPassword(email, code)}\n\nIf you did not ask for this, ignore this email: your password stays as it is.", ct);

    /// <summary>A reset asked for an address with no confirmed account.</summary>
    public Task NoAccountToResetAsync(string email, CancellationToken ct) =>
        SendAsync(email, "PaperFeed password reset",
            $"Someone asked to reset the PaperFeed password of this address, but it has no confirmed account.\n\nCreate one: {links.Absolute("/account/register")}", ct);

    public Task ConfirmNewAddressAsync(string newEmail, string userId, string code, CancellationToken ct) =>
        SendAsync(newEmail, "Confirm your new PaperFeed address",
            $"Confirm that this is the new address of your PaperFeed account: {links.ConfirmEmailChange(userId, newEmail, code)}\n\nUntil you do, your account keeps its old address. If you did not ask for this, ignore this email.", ct);

    /// <summary>A change of address to one that already has an account: nothing changes, and only that address is told.</summary>
    public Task AddressTakenAsync(string newEmail, CancellationToken ct) =>
        SendAsync(newEmail, "Someone tried to move a PaperFeed account to your address",
            "Someone asked to change the address of a PaperFeed account to this one, which already has an account, so nothing changed.\n\nIf it was not you, you can ignore this email.", ct);

    /// <summary>The old address hears of every change asked for, so a stolen session cannot move the account quietly.</summary>
    public Task AddressChangingAsync(string oldEmail, string newEmail, CancellationToken ct) =>
        SendAsync(oldEmail, "Your PaperFeed address is about to change",
            $"Someone signed in to your PaperFeed account asked to change its address to {newEmail}. Nothing changes until the link sent there is followed.\n\nIf it was not you, change your password: {links.Absolute("/account/forgot")}", ct);

    public Task ConfirmSubscriptionAsync(string email, string confirmUrl, CancellationToken ct) =>
        SendAsync(email, "Confirm your PaperFeed digest subscription",
            $"Someone (perhaps you) asked to receive the PaperFeed digest at this address.\n\nConfirm the subscription: {confirmUrl}\n\nNothing is sent until you confirm. If it was not you, ignore this email: the request expires.", ct);

    public Task AlreadySubscribedAsync(string email, string preferencesUrl, CancellationToken ct) =>
        SendAsync(email, "You are already subscribed to the PaperFeed digest",
            $"Someone (perhaps you) asked to subscribe this address to the PaperFeed digest. It is already subscribed.\n\nChange what you receive, pause or unsubscribe: {preferencesUrl}\n\nIf it was not you, you can ignore this email.", ct);

    public Task SendAsync(string to, string subject, string text, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.Value.From ?? "PaperFeed <paperfeed@localhost>"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return transport.SendAsync(message, ct);
    }
}
