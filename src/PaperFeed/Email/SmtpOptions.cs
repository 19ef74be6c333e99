using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace PaperFeed.Email;

public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>SMTP server host. Empty: emails are written to the log instead (development).</summary>
    public string? Host { get; set; }

    /// <summary>SMTP port (587 submission with STARTTLS, 465 TLS on connect, 25 plain).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>The sender address, e.g. "PaperFeed &lt;papers@example.org&gt;". Required when Host is set.</summary>
    public string? From { get; set; }

    /// <summary>Login for the SMTP server, when it needs one.</summary>
    public string? User { get; set; }

    /// <summary>Password for the SMTP server.</summary>
    public string? Password { get; set; }

    /// <summary>Messages sent over one connection before it is renewed.</summary>
    [Range(1, 10_000)]
    public int MessagesPerConnection { get; set; } = 100;

    /// <summary>Seconds before a silent SMTP server is given up on.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>DKIM signing domain (d=), e.g. example.org. Empty: no signing (leave it off when the relay signs for you).</summary>
    public string? DkimDomain { get; set; }

    /// <summary>DKIM selector (s=): the public key is published at {selector}._domainkey.{domain}.</summary>
    public string? DkimSelector { get; set; }

    /// <summary>The DKIM private key, PEM text (PKCS#1 or PKCS#8 RSA). Or give DkimPrivateKeyFile.</summary>
    public string? DkimPrivateKey { get; set; }

    /// <summary>Path of a PEM file holding the DKIM private key.</summary>
    public string? DkimPrivateKeyFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public bool DkimEnabled => !string.IsNullOrWhiteSpace(DkimDomain) || !string.IsNullOrWhiteSpace(DkimSelector)
        || !string.IsNullOrWhiteSpace(DkimPrivateKey) || !string.IsNullOrWhiteSpace(DkimPrivateKeyFile);
}
