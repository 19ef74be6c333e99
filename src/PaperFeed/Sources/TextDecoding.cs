using System.Text;
using System.Text.RegularExpressions;

namespace PaperFeed.Sources;

/// <summary>
/// The one rule for turning fetched or imported bytes into text, for a URL and a file alike: a byte-order mark, else
/// the charset the input declares (HTTP Content-Type, else an XML declaration's encoding="…"), else UTF-8 — strictly.
/// An invalid byte is refused, never replaced by U+FFFD: a replaced title would be written over a good one.
/// </summary>
public static partial class TextDecoding
{
    public static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The encoding of an input from its first bytes and the charset its transport declares, if any.</summary>
    public static Encoding For(ReadOnlySpan<byte> head, string? declaredCharset)
    {
        // With the mark as the encoding's preamble, StreamReader skips it (its own BOM detection would not be strict).
        if (head.StartsWith("\uFEFF"u8)) return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        var charset = declaredCharset?.Trim().Trim('"') ?? XmlDeclaredEncoding(head);
        if (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return StrictUtf8;
        try
        {
            return Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return StrictUtf8; // a charset .NET does not know: valid UTF-8 is still read, anything else refused
        }
    }

    /// <summary>The whole of a fetched body as text (a byte-order mark is not part of it).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? declaredCharset)
    {
        var encoding = For(bytes, declaredCharset);
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        else if (encoding is UnicodeEncoding && (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))) bytes = bytes[2..];
        return encoding.GetString(bytes);
    }

    /// <summary>The one line that says why bytes were refused.</summary>
    public static string Refusal(DecoderFallbackException ex) =>
        ex.BytesUnknown is { Length: > 0 } bytes
            ? $"not valid UTF-8 (byte 0x{bytes[0]:X2}) and no other charset declared; convert it to UTF-8 first (for example iconv -f latin1 -t utf-8)"
            : "not valid text in its declared charset";

    private static string? XmlDeclaredEncoding(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("<?xml"u8)) return null;
        var declaration = Encoding.ASCII.GetString(head[..Math.Min(head.Length, 256)]);
        var end = declaration.IndexOf("?>", StringComparison.Ordinal);
        return end > 0 && XmlEncoding().Match(declaration[..end]) is { Success: true } match ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")]
    private static partial Regex XmlEncoding();
}
