using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Xml;
using PaperFeed.Sources.Arxiv;
using PaperFeed.Sources.Feeds;
using PaperFeed.Sources.HuggingFace;

namespace PaperFeed.Sources;

public enum ImportFormat { HfJson, HfPage, HfCopiedText, ArxivListing, ArxivAtom, ArxivRss, ArxivOai, Feed, ArxivJsonLines }

/// <summary>
/// The formats of what sources send and files hold: the one switch from a format to its pure parser (<see cref="ParseAs"/>),
/// used by scheduled sources (their kind names the format) and by import, which recognises a saved or downloaded input by
/// its content, not its name.
/// </summary>
public static class ImportFormats
{
    /// <summary>The parser of each format. <paramref name="year"/>: the year of dates a copied page shows without one.</summary>
    public static ParseResult ParseAs(ImportFormat format, string body, int year = 0) => format switch
    {
        ImportFormat.HfJson => HfDailyPapersJsonParser.Parse(body),
        ImportFormat.HfPage => HfPapersPageParser.TryParse(body, out var page) ? page
            : throw new SourceFormatException("the papers page has no DailyPapers data element (layout change?)"),
        ImportFormat.HfCopiedText => HfCopiedTextParser.Parse(body, year),
        ImportFormat.ArxivListing => ArxivListingParser.Parse(body),
        ImportFormat.ArxivAtom => ArxivAtomParser.Parse(body),
        ImportFormat.ArxivRss => ArxivRssParser.Parse(body),
        ImportFormat.ArxivOai => OaiPmhParser.Parse(body),
        ImportFormat.Feed => FeedParser.Parse(body),
        _ => throw new SourceFormatException($"{Describe(format)} is read entry by entry, not whole"),
    };

    /// <summary>What a scheduled source of <paramref name="kind"/> sends (the inverse of <see cref="SourceKindFor"/>).</summary>
    public static ImportFormat FormatOf(SourceKind kind) => kind switch
    {
        SourceKind.HuggingFacePage => ImportFormat.HfPage,
        SourceKind.HuggingFaceApi => ImportFormat.HfJson,
        SourceKind.ArxivListing => ImportFormat.ArxivListing,
        SourceKind.ArxivApi => ImportFormat.ArxivAtom,
        SourceKind.ArxivRss => ImportFormat.ArxivRss,
        SourceKind.ArxivOai => ImportFormat.ArxivOai,
        SourceKind.Feed => ImportFormat.Feed,
        _ => throw new SourceFormatException($"a {kind} source cannot be fetched on a schedule"),
    };

    public static (ImportFormat Format, ParseResult Result) Parse(string content, int year)
    {
        var start = content.AsSpan().TrimStart();
        if (start.IsEmpty) throw new SourceFormatException("the input is empty");

        if (start[0] is '[' or '{')
            return (ImportFormat.HfJson, ParseAs(ImportFormat.HfJson, content));

        if (start[0] == '<')
        {
            var head = start[..Math.Min(start.Length, 4096)].ToString();
            if (head.Contains("<html", StringComparison.OrdinalIgnoreCase) || head.Contains("<!doctype html", StringComparison.OrdinalIgnoreCase))
                return ParseHtml(content);
            var format = XmlFormat(content);
            var parsed = ParseAs(format, content);
            return (format, format == ImportFormat.ArxivAtom ? parsed with { Papers = parsed.Papers.Select(OnFirstVersionDay).ToList() } : parsed);
        }

        var copied = ParseAs(ImportFormat.HfCopiedText, content, year);
        // Copied papers pages give most papers a date line; other prose gives none.
        if (copied.Papers.Count == 0 || copied.Papers.Count(p => p.PublishedAt is not null) * 2 < copied.Papers.Count)
            throw new SourceFormatException("unknown format: not JSON, not an HTML papers page, not a feed, and not a papers page copied as text");
        return (ImportFormat.HfCopiedText, copied);
    }

    private static (ImportFormat, ParseResult) ParseHtml(string content)
    {
        if (HfPapersPageParser.TryParse(content, out var page)) return (ImportFormat.HfPage, page);
        if (content.Contains("id=\"dlpage\"", StringComparison.Ordinal) || content.Contains("id='dlpage'", StringComparison.Ordinal))
            return (ImportFormat.ArxivListing, ParseAs(ImportFormat.ArxivListing, content));
        throw new SourceFormatException("an HTML page with no papers data (neither a Hugging Face papers page nor an arXiv listing)");
    }

    /// <summary>
    /// The format of a local file when it can be read entry by entry (arXiv API Atom, arXiv metadata as JSON lines,
    /// either gzipped), from its first 8 KB; null for every other input, which is read whole with <see cref="Parse"/>.
    /// </summary>
    public static ImportFormat? StreamableFormat(string path)
    {
        var buffer = new char[8192];
        int read;
        using (var file = OpenText(path)) read = file.ReadBlock(buffer);
        var head = new string(buffer, 0, read).TrimStart();
        if (head.Length == 0) return null;
        if (head[0] == '{')
        {
            var newline = head.IndexOf('\n');
            return newline > 0 && ArxivJsonLinesParser.LooksLikeJsonLines(head[..newline]) ? ImportFormat.ArxivJsonLines : null;
        }
        if (head[0] != '<' || head.Contains("<html", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return XmlFormat(head) == ImportFormat.ArxivAtom ? ImportFormat.ArxivAtom : null;
        }
        catch (SourceFormatException)
        {
            return null; // Parse reads it whole and says what is wrong
        }
    }

    /// <summary>The records of a file <see cref="StreamableFormat"/> accepted, one at a time.</summary>
    public static IEnumerable<PaperRecord> ReadStreamed(string path)
    {
        var format = StreamableFormat(path);
        using var file = OpenText(path);
        var records = format == ImportFormat.ArxivJsonLines ? ArxivJsonLinesParser.ReadLines(file) : ArxivAtomParser.ReadEntries(file);
        foreach (var record in records) yield return format == ImportFormat.ArxivAtom ? OnFirstVersionDay(record) : record;
    }

    /// <summary>
    /// A file imported by hand is a backfill: an API Atom entry (a search result, on no list) is listed on the day
    /// its first version appeared, so it shows on that day's page.
    /// </summary>
    public static PaperRecord OnFirstVersionDay(PaperRecord record) =>
        record.ListDay is null && record.PublishedAt is { } at ? record with { ListDay = DateOnly.FromDateTime(at) } : record;

    /// <summary>
    /// A file as text, gunzipped when its first bytes are gzip's magic number (whatever its name), decoded by the rule
    /// of <see cref="TextDecoding"/> (as a fetched body is): reading bytes that are not valid UTF-8, with no other
    /// charset declared, throws <see cref="System.Text.DecoderFallbackException"/>.
    /// </summary>
    public static StreamReader OpenText(string path)
    {
        var head = new byte[256];
        int n;
        using (var peek = OpenDecompressed(path)) n = peek.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return new StreamReader(OpenDecompressed(path), TextDecoding.For(head.AsSpan(0, n), declaredCharset: null), detectEncodingFromByteOrderMarks: false);
    }

    private static Stream OpenDecompressed(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>
    /// Counts the records of every streamed file, on every core at once (checking is a full parse, most of an
    /// import's reading). A malformed file surfaces when its count is awaited.
    /// </summary>
    public static Dictionary<string, Task<int>> CountStreamed(IEnumerable<string> paths)
    {
        var cores = new SemaphoreSlim(Environment.ProcessorCount);
        return paths.Distinct().ToDictionary(path => path, path => Task.Run(async () =>
        {
            await cores.WaitAsync();
            try { return ReadStreamed(path).Count(); }
            finally { cores.Release(); }
        }));
    }

    /// <summary>
    /// The chunks, read ahead on another thread (at most <paramref name="ahead"/> waiting): the next chunk is parsed
    /// while the current one is written.
    /// </summary>
    public static async IAsyncEnumerable<T[]> ReadAheadAsync<T>(IEnumerable<T[]> chunks, int ahead = 2, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<T[]>(ahead);
        // A consumer that stops early (a failed batch) must not leave the reader blocked on a full channel, its file open.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var token = stop.Token;
        var reader = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in chunks) await channel.Writer.WriteAsync(chunk, token);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, token);
        try
        {
            await foreach (var chunk in channel.Reader.ReadAllAsync(ct)) yield return chunk;
            await reader;
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    /// <summary>Tells the XML formats apart by the root element and the namespaces it declares.</summary>
    private static ImportFormat XmlFormat(string content)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            reader.MoveToContent();
            var (name, ns) = (reader.LocalName, reader.NamespaceURI);
            var declares = (string uri) => content.AsSpan(0, Math.Min(content.Length, 8192)).Contains(uri.AsSpan(), StringComparison.Ordinal);
            if (name == "OAI-PMH") return ImportFormat.ArxivOai;
            if (name == "feed" && ns == "http://www.w3.org/2005/Atom" && declares("http://a9.com/-/spec/opensearch/1.1/")) return ImportFormat.ArxivAtom;
            if (name == "rss" && declares("rss.arxiv.org")) return ImportFormat.ArxivRss;
            if (name is "rss" or "feed" or "RDF") return ImportFormat.Feed;
            throw new SourceFormatException($"an XML document whose root <{name}> is not a known feed format");
        }
        catch (XmlException ex)
        {
            throw new SourceFormatException($"malformed XML: {ex.Message}", ex);
        }
    }

    public static string Describe(ImportFormat format) => format switch
    {
        ImportFormat.HfJson => "Hugging Face daily papers JSON",
        ImportFormat.HfPage => "Hugging Face papers page",
        ImportFormat.HfCopiedText => "Hugging Face page copied as text",
        ImportFormat.ArxivListing => "arXiv listing page",
        ImportFormat.ArxivAtom => "arXiv API Atom",
        ImportFormat.ArxivRss => "arXiv RSS feed",
        ImportFormat.ArxivOai => "arXiv OAI-PMH records",
        ImportFormat.Feed => "RSS/Atom feed",
        ImportFormat.ArxivJsonLines => "arXiv metadata JSON lines",
        _ => format.ToString(),
    };

    /// <summary>The kind of source an import's papers and listings belong to.</summary>
    public static SourceKind SourceKindFor(ImportFormat format) => format switch
    {
        ImportFormat.HfJson or ImportFormat.HfPage or ImportFormat.HfCopiedText => SourceKind.HuggingFacePage,
        ImportFormat.ArxivListing => SourceKind.ArxivListing,
        ImportFormat.ArxivAtom => SourceKind.ArxivApi,
        ImportFormat.ArxivRss => SourceKind.ArxivRss,
        ImportFormat.ArxivOai or ImportFormat.ArxivJsonLines => SourceKind.ArxivOai,
        _ => SourceKind.Feed,
    };
}
