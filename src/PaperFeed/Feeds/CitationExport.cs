using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Feeds;

/// <summary>
/// A list's papers as a BibTeX, RIS or CSL-JSON download. The list's cards lack what a citation needs (DOI,
/// categories), so the papers are read once more by id, in one query, and written in the list's order.
/// </summary>
public sealed class CitationExport(FeedFormat format, IReadOnlyList<long> paperIds, string title, string baseUrl) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<CatalogDbContext>();
        var ids = paperIds.ToList();
        var found = await db.Papers.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, http.RequestAborted);
        var papers = ids.Where(found.ContainsKey).Select(id => found[id]).ToList();
        var body = format switch
        {
            FeedFormat.BibTeX => CitationWriter.BibTeXFile(papers),
            FeedFormat.Ris => CitationWriter.Ris(papers, baseUrl),
            _ => CitationWriter.Csl(papers, baseUrl),
        };
        http.Response.ContentType = FeedWriter.ContentType(format);
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = FileName(title) + FeedWriter.FileExtension(format),
        }.ToString();
        await http.Response.WriteAsync(body, Encoding.UTF8, http.RequestAborted);
    }

    /// <summary>"Daily papers, 12 June 2026" → "paperfeed-daily-papers-12-june-2026": ASCII, no quoting needed.</summary>
    public static string FileName(string title)
    {
        var name = new StringBuilder("paperfeed");
        var dash = true;
        foreach (var c in title.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) { if (dash) name.Append('-'); name.Append(c); dash = false; }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) dash = true;
            if (name.Length >= 80) break;
        }
        return name.ToString();
    }
}
