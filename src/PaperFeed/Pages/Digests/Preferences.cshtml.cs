using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Topics;

namespace PaperFeed.Pages.Digests;

/// <summary>Every preference of a subscription, reached from the signed link in each email: no password needed.</summary>
public sealed class PreferencesModel(CatalogDbContext db, DigestLinks links, TimeProvider time) : PageModel
{
    public const int MaxKeywords = 50;
    public const int MaxKeywordLength = 100;

    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty(SupportsGet = true)] public bool Saved { get; set; }
    [BindProperty] public PreferencesInput Input { get; set; } = new();
    public Subscription? Subscription { get; private set; }
    public IReadOnlyList<Topic> Topics { get; private set; } = [];
    public string? UnsubscribeUrl { get; private set; }
    /// <summary>The subscription belongs to an account: its mute keywords are the account's mute rules (one list, also on the web).</summary>
    public bool AccountRules => Subscription?.UserId is not null;

    public sealed class PreferencesInput
    {
        /// <summary>"daily", "weekly" or "paused".</summary>
        [Required, RegularExpression("daily|weekly|paused", ErrorMessage = "Choose daily, weekly or paused.")]
        public string Frequency { get; set; } = "daily";
        public DayOfWeek WeeklyDay { get; set; } = DayOfWeek.Monday;
        [Range(0, 23, ErrorMessage = "The send hour is a whole hour from 0 to 23.")]
        public int SendHour { get; set; } = 7;
        [Required, StringLength(64)] public string TimeZone { get; set; } = "UTC";
        public List<string> Topics { get; set; } = [];
        [StringLength(5000)] public string? IncludeKeywords { get; set; }
        [StringLength(5000)] public string? MuteKeywords { get; set; }
        [Range(0, 1_000_000, ErrorMessage = "Minimum votes cannot be negative.")]
        public int MinVotes { get; set; }
        [Range(1, 50, ErrorMessage = "A digest holds from 1 to 50 papers.")]
        public int MaxPapers { get; set; } = 10;
        public DigestFormat Format { get; set; } = DigestFormat.Html;
        /// <summary>"Order my digest for me" (account holders only): ranked by the reader's signals, with a reason per paper.</summary>
        public bool OrderForMe { get; set; } = true;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Invalid();
        var s = Subscription!;
        Input = new PreferencesInput
        {
            Frequency = s.Status == SubscriptionStatus.Paused ? "paused" : s.Frequency == DigestFrequency.Weekly ? "weekly" : "daily",
            WeeklyDay = s.WeeklyDay, SendHour = s.SendHour, TimeZone = s.TimeZone, Topics = [.. s.Topics],
            IncludeKeywords = string.Join('\n', s.IncludeKeywords),
            MuteKeywords = string.Join('\n', s.UserId is null ? s.MuteKeywords
                : (await PaperFeed.ForYou.MuteRules.ForReaderAsync(db, s.UserId, ct)).Where(m => m.Kind == PaperFeed.ForYou.RuleKind.MuteKeyword).Select(m => m.Value)),
            MinVotes = s.MinVotes, MaxPapers = s.MaxPapers, Format = s.Format, OrderForMe = !s.SiteOrder,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return Invalid();
        Saved = false;
        var zone = Input.TimeZone?.Trim() ?? "";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) || !found.HasIanaId)
            ModelState.AddModelError("Input.TimeZone", "Choose a time zone by its IANA name, such as Europe/Paris or America/New_York.");
        var known = Topics.Select(t => t.Slug).ToHashSet(StringComparer.Ordinal);
        var topics = Input.Topics.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).ToList();
        if (topics.Any(t => !known.Contains(t))) ModelState.AddModelError("Input.Topics", "Choose topics from the list.");
        var include = Keywords(Input.IncludeKeywords, "Input.IncludeKeywords");
        var mute = Keywords(Input.MuteKeywords, "Input.MuteKeywords");
        if (!Enum.IsDefined(Input.WeeklyDay)) ModelState.AddModelError("Input.WeeklyDay", "Choose a day of the week.");
        if (!Enum.IsDefined(Input.Format)) ModelState.AddModelError("Input.Format", "Choose HTML or plain text.");
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var s = Subscription!;
        var schedule = (s.Status, s.Frequency, s.WeeklyDay, s.SendHour, s.TimeZone);
        if (Input.Frequency != "paused") s.Frequency = Input.Frequency == "weekly" ? DigestFrequency.Weekly : DigestFrequency.Daily;
        // Pausing and resuming apply to a running subscription only; confirming and resubscribing have their own links.
        if (s.Status is SubscriptionStatus.Active or SubscriptionStatus.Paused)
            s.Status = Input.Frequency == "paused" ? SubscriptionStatus.Paused : SubscriptionStatus.Active;
        s.WeeklyDay = Input.WeeklyDay;
        s.SendHour = Input.SendHour;
        s.TimeZone = found!.Id;
        s.Topics = topics;
        s.IncludeKeywords = include;
        if (s.UserId is { } reader)
            await PaperFeed.ForYou.MuteRules.ReplaceAsync(db, reader, PaperFeed.ForYou.RuleKind.MuteKeyword, mute, time.GetUtcNow().UtcDateTime, ct);
        else
            s.MuteKeywords = mute;
        s.MinVotes = Input.MinVotes;
        s.MaxPapers = Input.MaxPapers;
        s.Format = Input.Format;
        // Without an account there is nothing to rank by, and the box is not shown: the stored choice stays as it was.
        if (s.UserId is not null) s.SiteOrder = !Input.OrderForMe;
        // A new schedule (or a resume) starts now: no late digest for a period the old schedule or a pause covered.
        if (s.Status == SubscriptionStatus.Active && schedule != (s.Status, s.Frequency, s.WeeklyDay, s.SendHour, s.TimeZone))
            s.ActivatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return RedirectToPage(new { token = Token, saved = true });
    }

    /// <summary>One keyword or phrase per line, or comma-separated; trimmed, case-insensitively distinct.</summary>
    public List<string> Keywords(string? text, string field)
    {
        var words = (text ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (words.Count > MaxKeywords) ModelState.AddModelError(field, $"At most {MaxKeywords} keywords.");
        if (words.Any(w => w.Length > MaxKeywordLength)) ModelState.AddModelError(field, $"A keyword has at most {MaxKeywordLength} characters.");
        return words;
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Subscription = await links.FindAsync(Token, DigestTokenPurpose.Preferences, ct);
        if (Subscription is null) return false;
        Topics = await db.Topics.AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.SortOrder).ThenBy(t => t.Name).ToListAsync(ct);
        UnsubscribeUrl = links.UnsubscribePageUrl(Subscription);
        return true;
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
