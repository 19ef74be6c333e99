using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;

namespace PaperFeed.Email;

/// <summary>
/// Optional DKIM signature on every message the app sends (MimeKit's DkimSigner, rsa-sha256, relaxed/relaxed), covering the
/// RFC 8058 List-Unsubscribe headers as that RFC requires. Off unless Smtp:DkimDomain, DkimSelector and a key are set.
/// </summary>
public static class DkimSigning
{
    /// <summary>The fields signed: what a receiver shows or acts on. An absent field signed is "must stay absent", which is fine.</summary>
    public static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost,
        HeaderId.MimeVersion, HeaderId.ContentType,
    ];

    /// <summary>The signer for these options, or null when DKIM is off. Throws when the settings are incomplete or the key unreadable.</summary>
    public static DkimSigner? CreateSigner(SmtpOptions o)
    {
        if (!o.DkimEnabled) return null;
        if (string.IsNullOrWhiteSpace(o.DkimDomain) || string.IsNullOrWhiteSpace(o.DkimSelector))
            throw new InvalidOperationException("Smtp:DkimDomain and Smtp:DkimSelector are both needed for DKIM signing");
        if (string.IsNullOrWhiteSpace(o.DkimPrivateKey) == string.IsNullOrWhiteSpace(o.DkimPrivateKeyFile))
            throw new InvalidOperationException("Give exactly one of Smtp:DkimPrivateKey (PEM text) or Smtp:DkimPrivateKeyFile (a PEM file) for DKIM signing");
        try
        {
            using var pem = o.DkimPrivateKey is { Length: > 0 } inline
                ? new MemoryStream(Encoding.ASCII.GetBytes(inline.Replace("\\n", "\n", StringComparison.Ordinal)))
                : (Stream)File.OpenRead(o.DkimPrivateKeyFile!);
            return new DkimSigner(pem, o.DkimDomain.Trim(), o.DkimSelector.Trim(), DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException
            or Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.OpenSsl.PemException)
        {
            throw new InvalidOperationException($"The DKIM private key (Smtp:DkimPrivateKey or Smtp:DkimPrivateKeyFile) could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>RFC 5322's limit for a line; MimeKit's default when choosing an encoding is 78, which sends long HTML lines quoted-printable.</summary>
    public const int MaxLineLength = 998;

    /// <summary>Signs <paramref name="message"/> once its content is final: 7-bit first, so no relay re-encodes what was signed.</summary>
    public static void Sign(DkimSigner signer, MimeMessage message, int maxLineLength = 78)
    {
        message.Headers.RemoveAll(HeaderId.DkimSignature);
        message.Prepare(EncodingConstraint.SevenBit, maxLineLength);
        signer.Sign(message, SignedHeaders);
    }
}

/// <summary>Stops the app at start with a message naming the setting when DKIM is half configured or its key unreadable.</summary>
public sealed class DkimOptionsValidation : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        try
        {
            DkimSigning.CreateSigner(options);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
