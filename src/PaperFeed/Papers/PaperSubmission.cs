using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Site;
using PaperFeed.Sources;
using PaperFeed.Sources.Arxiv;

namespace PaperFeed.Papers;

/// <summary>
/// A reader submits a paper by arXiv id or link (as on Hugging Face): its metadata comes from the arXiv API through
/// <see cref="SourceRunner.QueryArxivApiAsync"/> (the fetcher's politeness, the arXiv API source's health), and it joins today's
/// list through the one ingest path.
/// </summary>
public sealed class PaperSubmission(CatalogDbContext db, SourceRunner runner, PaperIngestor ingestor,
    IOptions<AppOptions> site, TimeProvider time, ILogger<PaperSubmission> logger)
{
    public const string SourceName = "Submitted by readers";
    /// <summary>Longer than any arXiv or Hugging Face link; anything longer is refused before it is searched.</summary>
    public const int MaxInputLength = 300;

    /// <summary>What happened: the paper's page when there is one, and a sentence for the reader.</summary>
    public sealed record Outcome(bool Added, string? PaperKey, string Message);

    public async Task<Outcome> SubmitAsync(string? input, string submittedBy, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength || !ArxivId.TryFind(input.Trim(), out var id, out _))
            return new Outcome(false, null, "That is not an arXiv id or link. Paste an id such as 2401.12345, or a link to arxiv.org/abs/…, arxiv.org/pdf/… or huggingface.co/papers/….");

        var today = site.Value.Today(time);
        var listed = await db.Listings.AsNoTracking().Where(l => l.Day == today && l.Paper.ArxivId == id)
            .Select(l => new { l.Paper.Key, l.Source.Name }).FirstOrDefaultAsync(ct);
        if (listed is not null)
            return new Outcome(false, listed.Key, listed.Name == SourceName
                ? $"arXiv {id} was already submitted today."
                : $"arXiv {id} is already on today's list.");

        ParseResult parsed;
        try
        {
            parsed = await runner.QueryArxivApiAsync($"id_list={Uri.EscapeDataString(id)}&max_results=1", ct, readerQuestion: true);
        }
        catch (FetchException ex)
        {
            logger.LogWarning("Submission of {ArxivId}: the arXiv API did not answer: {Error}", id, ex.Message);
            return new Outcome(false, null, "arXiv did not answer just now. Try again in a few minutes.");
        }
        catch (SourceFormatException ex)
        {
            // The API reports an id it cannot read as an error entry; anything else unreadable is its fault, not the reader's.
            logger.LogWarning("Submission of {ArxivId}: {Error}", id, ex.Message);
            return new Outcome(false, null, ArxivAtomParser.IsApiError(ex)
                ? $"arXiv has no paper {id}." : "arXiv's answer could not be read. Try again later.");
        }
        var record = parsed.Papers.FirstOrDefault(p => p.ArxivId == id);
        if (record is null) return new Outcome(false, null, $"arXiv has no paper {id}.");

        var sourceId = await SourceIdAsync(ct);
        await ingestor.IngestAsync(sourceId, [record with { ListDay = today, SubmittedBy = submittedBy, SubmittedByName = null }], ct);
        var key = await db.Papers.Where(p => p.ArxivId == id).Select(p => p.Key).SingleAsync(ct);
        logger.LogInformation("{User} submitted {ArxivId} for {Day}", submittedBy, id, today);
        return new Outcome(true, key, $"Thank you: “{record.Title}” is on today's list.");
    }

    private async Task<int> SourceIdAsync(CancellationToken ct)
    {
        if (await db.Sources.Where(s => s.Name == SourceName).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct) is { } id) return id;
        // Curated: a reader's pick is Featured, like Hugging Face's. Never scheduled: it has nothing to fetch.
        var source = new Source { Name = SourceName, Kind = SourceKind.Import, Url = "reader:", Curated = true, Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync(ct);
        return source.Id;
    }
}
