using System.ComponentModel.DataAnnotations;
using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Accounts;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Papers;

namespace PaperFeed.Pages.Account;

/// <summary>
/// /account/interests: the reader's mute rules (keywords, authors, arXiv categories), shared with their digest, with a dry run
/// that counts what each rule and all together would hide of this week's papers before anything is saved; and the authors and
/// topics they follow, each with its unfollow button; and seed papers (arXiv ids, links, a BibTeX or RIS file) for a cold start.
/// </summary>
[Authorize]
public sealed class InterestsModel(CatalogDbContext db, UserManager<User> users, TimeProvider time) : PageModel
{
    [BindProperty] public MuteInput Input { get; set; } = new();
    [TempData] public string? Message { get; set; }
    /// <summary>The counts are of rules not saved yet (the "Count" button).</summary>
    public bool Previewing { get; private set; }
    /// <summary>This week: the ISO week of the latest listing day, as on /papers/week.</summary>
    public DateOnly? WeekFrom { get; private set; }
    public int WeekPapers { get; private set; }
    public List<RuleCount> Counts { get; private set; } = [];
    public int HiddenTogether { get; private set; }
    public List<Followed> Follows { get; private set; } = [];
    public List<SeedPaper> Seeds { get; private set; } = [];
    /// <summary>The reader shows the papers nearest their interests on /lab (off until they turn it on).</summary>
    public bool ShareWithLab { get; private set; }
    /// <summary>Pasted arXiv ids or links (the seed form).</summary>
    [BindProperty, StringLength(20_000)] public string? SeedIds { get; set; }
    /// <summary>A BibTeX or RIS export (the seed form).</summary>
    [BindProperty] public IFormFile? SeedFile { get; set; }
    public const long MaxSeedFileBytes = 2 * 1024 * 1024;

    /// <summary>A followed author or topic: what /follow takes to unfollow it, the name shown and where it leads.</summary>
    public sealed record Followed(string Kind, string Value, string Name, string Url);

    public sealed class MuteInput
    {
        [StringLength(10_000)] public string? Keywords { get; set; }
        [StringLength(10_000)] public string? Authors { get; set; }
        [StringLength(10_000)] public string? Categories { get; set; }
    }

    public sealed record RuleCount(RuleKind Kind, string Value, int Papers);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadSavedAsync(ct);
        return Page();
    }

    /// <summary>The page as saved: the rules in the form and their counts, the follows, the seeds.</summary>
    private async Task LoadSavedAsync(CancellationToken ct)
    {
        var mutes = await MuteRules.ForReaderAsync(db, users.GetUserId(User), ct);
        await LoadFollowsAsync(ct);
        Input = new MuteInput
        {
            Keywords = Lines(mutes, RuleKind.MuteKeyword), Authors = Lines(mutes, RuleKind.MuteAuthor), Categories = Lines(mutes, RuleKind.MuteCategory),
        };
        await CountAsync(mutes, ct);
    }

    /// <summary>Turns sharing with /lab on or off: the reader's signals stay private until they turn it on.</summary>
    public async Task<IActionResult> OnPostLabAsync(bool shareWithLab, CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        if (userId is null) return Challenge();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ShareWithLab, shareWithLab), ct);
        Message = shareWithLab ? "The lab page now shows this week's papers nearest your interests under your name." : "The lab page no longer shows your interests.";
        return RedirectToPage(null, null, null, "lab");
    }

    /// <summary>Seed papers from pasted ids and links and/or an uploaded BibTeX or RIS file; those not in the catalog are queued for fetching.</summary>
    public async Task<IActionResult> OnPostSeedsAsync([FromServices] IBackgroundJobClient jobs, CancellationToken ct)
    {
        var found = SeedImport.Parse(SeedIds);
        if (SeedFile is { Length: > 0 } file)
        {
            if (file.Length > MaxSeedFileBytes) ModelState.AddModelError(nameof(SeedFile), "The file is larger than 2 MB: export fewer entries at a time.");
            else
            {
                using var reader = new StreamReader(file.OpenReadStream(), detectEncodingFromByteOrderMarks: true);
                var inFile = SeedImport.Parse(await reader.ReadToEndAsync(ct));
                found = new SeedImport.Found([.. found.ArxivIds.Union(inFile.ArxivIds)], [.. found.Dois.Union(inFile.Dois)], found.Entries + inFile.Entries);
            }
        }
        if (ModelState.IsValid && found.ArxivIds.Count == 0 && found.Dois.Count == 0)
            ModelState.AddModelError(nameof(SeedIds), "No arXiv id found: paste ids such as 2401.12345 or arxiv.org links, or upload a BibTeX or RIS export.");
        if (!ModelState.IsValid)
        {
            await LoadSavedAsync(ct);
            return Invalid();
        }
        var outcome = await SeedPapers.AddAsync(db, users.GetUserId(User)!, found, time.GetUtcNow().UtcDateTime, ct);
        if (outcome.Queued > 0) jobs.Enqueue<FetchSeedsJob>(job => job.RunAsync(CancellationToken.None));
        Message = $"{outcome.Added} seed paper{(outcome.Added == 1 ? "" : "s")} added: {outcome.InCatalog} in the catalog (they count now), "
            + $"{outcome.Queued} to be fetched from arXiv."
            + (outcome.NotRecognised > 0 ? $" {outcome.NotRecognised} entr{(outcome.NotRecognised == 1 ? "y has" : "ies have")} no arXiv id we know." : "");
        return RedirectToPage(null, null, null, "seeds");
    }

    public async Task<IActionResult> OnPostRemoveSeedAsync(string? arxivId, CancellationToken ct)
    {
        if (arxivId is not null) await SeedPapers.RemoveAsync(db, users.GetUserId(User)!, arxivId, ct);
        Message = $"arXiv {arxivId} is no longer a seed paper.";
        return RedirectToPage(null, null, null, "seeds");
    }

    /// <summary>The dry run: counts for the rules as typed; nothing saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        var mutes = Read();
        await LoadFollowsAsync(ct);
        if (!ModelState.IsValid) return Invalid();
        Previewing = true;
        await CountAsync(mutes, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var mutes = Read();
        if (!ModelState.IsValid)
        {
            await LoadFollowsAsync(ct);
            return Invalid();
        }
        var userId = users.GetUserId(User)!;
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var kind in MuteRules.Kinds)
            await MuteRules.ReplaceAsync(db, userId, kind, [.. mutes.Where(m => m.Kind == kind).Select(m => m.Value)], now, ct);
        await db.SaveChangesAsync(ct);
        Message = mutes.Count == 0 ? "You have no mute rules now." : $"Your {mutes.Count} mute rule{(mutes.Count == 1 ? " is" : "s are")} saved.";
        return RedirectToPage();
    }

    public static string KindName(RuleKind kind) => kind switch
    {
        RuleKind.MuteKeyword => "Keyword",
        RuleKind.MuteAuthor => "Author",
        _ => "Category",
    };

    public static string CountText(int count) => count > PaperList.MaxCounted ? $"more than {PaperList.MaxCounted:N0}" : count.ToString("N0", System.Globalization.CultureInfo.CurrentCulture);

    private List<Mute> Read()
    {
        var mutes = new List<Mute>();
        foreach (var (kind, text, field) in new[]
        {
            (RuleKind.MuteKeyword, Input.Keywords, "Input.Keywords"), (RuleKind.MuteAuthor, Input.Authors, "Input.Authors"),
            (RuleKind.MuteCategory, Input.Categories, "Input.Categories"),
        })
        {
            var (values, error) = MuteRules.Parse(kind, text);
            if (error is not null) ModelState.AddModelError(field, error);
            mutes.AddRange(values.Select(v => new Mute(kind, v)));
        }
        return mutes;
    }

    // One count per rule and one for all together, over the same query the lists use (MuteRules.Muted), so the dry run
    // says exactly what the week's list then hides.
    private async Task CountAsync(List<Mute> mutes, CancellationToken ct)
    {
        if (await db.LatestDayAsync(ct) is not { } latest)
        {
            Counts = [.. mutes.Select(m => new RuleCount(m.Kind, m.Value, 0))]; // nothing listed yet: nothing to count
            return;
        }
        var monday = latest.AddDays(-(((int)latest.DayOfWeek + 6) % 7));
        WeekFrom = monday;
        var week = db.Papers.AsNoTracking().Visible().ListedBetween(monday, monday.AddDays(6));
        WeekPapers = await week.Take(PaperList.MaxCounted + 1).CountAsync(ct);
        foreach (var m in mutes)
            Counts.Add(new RuleCount(m.Kind, m.Value, await week.Muted([m]).Take(PaperList.MaxCounted + 1).CountAsync(ct)));
        HiddenTogether = mutes.Count == 0 ? 0 : await week.Muted(mutes).Take(PaperList.MaxCounted + 1).CountAsync(ct);
    }

    private async Task LoadFollowsAsync(CancellationToken ct)
    {
        var follows = await PaperFeed.ForYou.Follows.ForReaderAsync(db, users.GetUserId(User)!, ct);
        Seeds = await SeedPapers.ListAsync(db, users.GetUserId(User)!, ct);
        var userId = users.GetUserId(User)!;
        ShareWithLab = await db.Users.Where(u => u.Id == userId).Select(u => u.ShareWithLab).SingleAsync(ct);
        Follows = [.. follows.Authors.Order(StringComparer.OrdinalIgnoreCase).Select(a => new Followed("author", a, a, PaperFeed.ForYou.Follows.AuthorUrl(a))),
            .. follows.Topics.OrderBy(t => t.Value, StringComparer.OrdinalIgnoreCase).Select(t => new Followed("topic", t.Key, t.Value, "/topics/" + t.Key))];
    }

    private static string Lines(List<Mute> mutes, RuleKind kind) => string.Join('\n', mutes.Where(m => m.Kind == kind).Select(m => m.Value));

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
