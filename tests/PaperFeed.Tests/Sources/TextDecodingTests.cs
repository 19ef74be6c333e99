using System.IO.Compression;
using System.Text;
using PaperFeed.Sources;

namespace PaperFeed.Tests.Sources;

/// <summary>F3: bytes become text by one rule, for a fetched body and an imported file alike.</summary>
public class TextDecodingTests
{
    private static readonly byte[] Latin1Title = Encoding.Latin1.GetBytes("<feed><title>Caf\u00e9 Networks</title></feed>");

    [Fact]
    public void Bytes_that_are_not_utf8_with_no_charset_declared_are_refused_not_replaced()
    {
        var ex = Assert.Throws<DecoderFallbackException>(() => TextDecoding.Decode(Latin1Title, declaredCharset: null));
        Assert.StartsWith("not valid UTF-8 (byte 0xE9) and no other charset declared", TextDecoding.Refusal(ex), StringComparison.Ordinal);
        Assert.Throws<DecoderFallbackException>(() => TextDecoding.Decode(Encoding.Latin1.GetBytes("[{\"title\": \"Caf\u00e9\"}]"), "utf-8"));
    }

    [Fact]
    public void A_declared_charset_is_used_the_http_one_first()
    {
        var declared = Encoding.Latin1.GetBytes("<?xml version='1.0' encoding='ISO-8859-1'?>\n<feed><title>Caf\u00e9</title></feed>");
        Assert.Contains("Caf\u00e9", TextDecoding.Decode(declared, declaredCharset: null), StringComparison.Ordinal);
        Assert.Contains("Caf\u00e9", TextDecoding.Decode(Latin1Title, "\"iso-8859-1\""), StringComparison.Ordinal);
        // The transport's charset wins over the document's (RFC 7303): a UTF-8 body that says Latin-1 inside is UTF-8.
        var utf8 = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><feed><title>Caf\u00e9</title></feed>");
        Assert.Contains("Caf\u00e9", TextDecoding.Decode(utf8, "utf-8"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_decides_and_is_not_part_of_the_text()
    {
        Assert.Equal("[]", TextDecoding.Decode([0xEF, 0xBB, 0xBF, (byte)'[', (byte)']'], "iso-8859-1"));
        Assert.Equal("[]", TextDecoding.Decode([0xFF, 0xFE, (byte)'[', 0, (byte)']', 0], null));
    }

    [Fact]
    public void A_file_is_read_by_the_same_rule_gzipped_or_not()
    {
        var folder = Directory.CreateTempSubdirectory("paperfeed-decoding-");
        try
        {
            var plain = Path.Combine(folder.FullName, "latin1.xml");
            File.WriteAllBytes(plain, Latin1Title);
            using (var reader = ImportFormats.OpenText(plain))
                Assert.Throws<DecoderFallbackException>(() => reader.ReadToEnd());

            var gzipped = Path.Combine(folder.FullName, "declared.xml.gz");
            using (var gzip = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
                gzip.Write(Encoding.Latin1.GetBytes("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><feed><title>Caf\u00e9</title></feed>"));
            using (var reader = ImportFormats.OpenText(gzipped))
                Assert.Contains("Caf\u00e9", reader.ReadToEnd(), StringComparison.Ordinal);

            var bom = Path.Combine(folder.FullName, "bom.json");
            File.WriteAllBytes(bom, [0xEF, 0xBB, 0xBF, .. "[]"u8]);
            using (var reader = ImportFormats.OpenText(bom))
                Assert.Equal("[]", reader.ReadToEnd());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
