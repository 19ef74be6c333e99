using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using PaperFeed.Digests.Components;

namespace PaperFeed.Digests;

/// <summary>One paper as a digest shows it; every link absolute.</summary>
public sealed record DigestItem(long PaperId, string Title, IReadOnlyList<string> Authors, string? Summary, int Votes, int Upvotes,
    string PageUrl, string? ArxivUrl, string? PdfUrl, string? CodeUrl)
{
    /// <summary>Why the reader's model put it here ("Because you upvoted …"), in a digest ranked for the reader.</summary>
    public string? Reason { get; init; }
    public string? ReasonUrl { get; init; }
    /// <summary>Signed 👍 / 👎 links (a page with a button), for a subscription that belongs to an account.</summary>
    public string? UpUrl { get; init; }
    public string? NotForMeUrl { get; init; }

    public const int AuthorsShown = 4;

    public string AuthorLine => Authors.Count <= AuthorsShown
        ? string.Join(", ", Authors)
        : string.Join(", ", Authors.Take(AuthorsShown)) + $" and {Authors.Count - AuthorsShown} more";
}

/// <summary>The links a digest's footer needs, absolute.</summary>
public sealed record DigestEmailLinks(string BaseUrl, string PreferencesUrl, string UnsubscribeUrl);

/// <summary>What is sent: subject, HTML (null for text-only subscribers) and plain text.</summary>
public sealed record DigestContent(string Subject, string? Html, string Text);

/// <summary>Everything the template sees.</summary>
public sealed record DigestEmailModel(string SiteName, string Heading, string PeriodLabel, IReadOnlyList<DigestItem> Items,
    DigestEmailLinks Links, string Why, bool RankedForYou = false)
{
    public string Order => RankedForYou ? "ranked for you by what you upvoted and saved" : "ranked by votes";
    /// <summary>News of the papers the reader watches, not told before (Watches/WatchService.PendingAsync).</summary>
    public IReadOnlyList<Watches.WatchedUpdate> Watched { get; init; } = [];
}

/// <summary>
/// Pure composition: subscription + papers + links → subject, HTML (a Razor component rendered outside any request) and text.
/// Safe to call from several threads at once.
/// </summary>
public sealed class DigestComposer
{
    private readonly Func<HtmlRenderer> _renderer;
    private readonly bool _ownsRenderer;

    /// <summary>
    /// A fresh renderer per digest: an HtmlRenderer keeps every root component it rendered until it is disposed (a shared
    /// one grew the job to ~1 GB over 10,000 digests), and its dispatcher runs one render at a time.
    /// </summary>
    [ActivatorUtilitiesConstructor]
    public DigestComposer(IServiceProvider services, ILoggerFactory loggers)
    {
        _renderer = () => new HtmlRenderer(services, loggers);
        _ownsRenderer = true;
    }

    /// <summary>Renders with the caller's renderer (which keeps what it renders until the caller disposes it).</summary>
    public DigestComposer(HtmlRenderer renderer)
    {
        _renderer = () => renderer;
    }

    /// <param name="shared">
    /// HTML already rendered for this content, with placeholders where readers differ (see <see cref="DigestTemplate"/>): the
    /// caller keeps one per period's papers, so readers who get the same papers share one render. Null renders for this reader alone.
    /// </param>
    public async Task<DigestContent> ComposeAsync(Subscription subscription, DigestPeriod period, IReadOnlyList<DigestItem> items,
        DigestEmailLinks links, string siteName = "PaperFeed", bool rankedForYou = false, ConcurrentDictionary<string, Task<DigestTemplate>>? shared = null,
        IReadOnlyList<Watches.WatchedUpdate>? watched = null)
    {
        var model = Model(subscription, period, items, links, siteName) with { RankedForYou = rankedForYou, Watched = watched ?? [] };
        var subject = items.Count switch
        {
            0 => $"{model.Heading}: news of {model.Watched.Count} watched paper{(model.Watched.Count == 1 ? "" : "s")}",
            1 => $"{model.Heading}: {items[0].Title}",
            _ => $"{model.Heading}: {items.Count} papers, top: {items[0].Title}",
        };
        if (subject.Length > 150) subject = string.Concat(subject.AsSpan(0, 149), "…");
        string? html = null;
        if (subscription.Format == DigestFormat.Html)
            // A reader's watched-paper news is theirs alone: such a digest is rendered for them, not shared.
            html = shared is null || model.Watched.Count > 0 ? await RenderHtmlAsync(model)
                : (await shared.GetOrAdd(DigestTemplate.Key(model), _ => RenderTemplateAsync(model))).Fill(model);
        return new DigestContent(subject, html, Text(model));
    }

    /// <summary>The HTML for <paramref name="model"/> with a placeholder for each thing that differs from reader to reader.</summary>
    public async Task<DigestTemplate> RenderTemplateAsync(DigestEmailModel model)
    {
        var mark = DigestTemplate.NewMark();
        return DigestTemplate.Parse(await RenderHtmlAsync(DigestTemplate.Placeholders(model, mark)), mark);
    }

    public async Task<string> RenderHtmlAsync(DigestEmailModel model)
    {
        var renderer = _renderer();
        try
        {
            return await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<DigestEmail>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Model"] = model }));
                return "<!DOCTYPE html>\n" + output.ToHtmlString();
            });
        }
        finally
        {
            if (_ownsRenderer) await renderer.DisposeAsync();
        }
    }

    public static DigestEmailModel Model(Subscription subscription, DigestPeriod period, IReadOnlyList<DigestItem> items,
        DigestEmailLinks links, string siteName)
    {
        var weekly = subscription.Frequency == DigestFrequency.Weekly;
        var heading = weekly ? $"{siteName} weekly, {period.Id}" : $"{siteName} daily, {period.From.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture)}";
        var label = period.From == period.To
            ? period.From.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)
            : $"{period.From.ToString("d MMM", CultureInfo.InvariantCulture)} – {period.To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
        var topics = subscription.Topics.Count == 0 ? "all topics" : "topics " + string.Join(", ", subscription.Topics);
        var why = $"You get this email because {subscription.Email} subscribed to the {(weekly ? "weekly" : "daily")} {siteName} digest ({topics}).";
        return new DigestEmailModel(siteName, heading, label, items, links, why);
    }

    /// <summary>The plain-text "Watched papers" section (the HTML one is Components/WatchedPapers.razor).</summary>
    private static void WatchedText(StringBuilder text, IReadOnlyList<Watches.WatchedUpdate> watched)
    {
        if (watched.Count == 0) return;
        text.Append("Watched papers\n--------------\n\n");
        foreach (var update in watched)
        {
            text.Append("* ").Append(update.Title).Append('\n');
            foreach (var line in update.Lines)
            {
                text.Append("  - ").Append(line.Text);
                if (line.Url is not null && !line.Text.Contains(line.Url, StringComparison.Ordinal)) text.Append(": ").Append(line.Url);
                text.Append('\n');
            }
            text.Append("  Paper: ").Append(update.PageUrl).Append("\n\n");
        }
    }

    public static string Text(DigestEmailModel model)
    {
        var text = new StringBuilder();
        text.Append(model.Heading).Append('\n').Append('=', model.Heading.Length).Append("\n\n");
        if (model.Items.Count > 0) text.Append("Top papers listed ").Append(model.PeriodLabel).Append(", ").Append(model.Order).Append(".\n\n");
        var n = 0;
        foreach (var item in model.Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"{++n}. {item.Title}\n");
            if (item.Authors.Count > 0) text.Append("   ").Append(item.AuthorLine).Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"   {item.Votes} votes · {item.Upvotes} HF upvotes\n");
            if (item.Reason is not null) text.Append("   ").Append(item.Reason).Append('\n');
            if (!string.IsNullOrWhiteSpace(item.Summary)) text.Append("   ").Append(item.Summary).Append('\n');
            text.Append("   Paper: ").Append(item.PageUrl).Append('\n');
            if (item.ArxivUrl is not null) text.Append("   arXiv: ").Append(item.ArxivUrl).Append('\n');
            if (item.PdfUrl is not null) text.Append("   PDF:   ").Append(item.PdfUrl).Append('\n');
            if (item.CodeUrl is not null) text.Append("   Code:  ").Append(item.CodeUrl).Append('\n');
            if (item.UpUrl is not null) text.Append("   👍 More like this: ").Append(item.UpUrl).Append('\n');
            if (item.NotForMeUrl is not null) text.Append("   👎 Not for me: ").Append(item.NotForMeUrl).Append('\n');
            text.Append('\n');
        }
        WatchedText(text, model.Watched);
        text.Append("-- \n").Append(model.Why).Append('\n');
        text.Append("Preferences: ").Append(model.Links.PreferencesUrl).Append('\n');
        text.Append("Unsubscribe: ").Append(model.Links.UnsubscribeUrl).Append('\n');
        text.Append(model.SiteName).Append(": ").Append(model.Links.BaseUrl).Append('\n');
        return text.ToString();
    }
}

/// <summary>
/// A digest's HTML rendered once for every reader who gets the same papers (the same reasons, when ranked): what differs per
/// reader (the "why you get this" line with the address, the signed preferences, unsubscribe and 👍 / 👎 links) is a placeholder,
/// filled per reader. Filling gives the same HTML as rendering for that reader alone (tested), for a fraction of the cost.
/// </summary>
public sealed class DigestTemplate
{
    /// <summary>
    /// A placeholder's prefix, new for each template: letters and digits only (Razor's encoder leaves them as they are), and
    /// unguessable, so a scraped title cannot pose as a placeholder.
    /// </summary>
    public static string NewMark() => "PF" + Guid.NewGuid().ToString("N").ToUpperInvariant() + "X";

    private readonly string[] _literals;
    private readonly (string Kind, long PaperId)[] _slots;
    private readonly int _length;

    private DigestTemplate(string[] literals, (string, long)[] slots)
    {
        (_literals, _slots) = (literals, slots);
        _length = literals.Sum(l => l.Length);
    }

    /// <summary>Everything the rendered HTML depends on besides the placeholders: equal keys render equal HTML.</summary>
    public static string Key(DigestEmailModel m)
    {
        var key = new StringBuilder(2048).Append(m.SiteName).Append('\n').Append(m.Heading).Append('\n').Append(m.PeriodLabel).Append('\n')
            .Append(m.RankedForYou).Append('\n').Append(m.Links.BaseUrl);
        foreach (var i in m.Items)
            key.Append('\n').Append(i.PaperId).Append('\t').Append(i.UpUrl is null ? '-' : 'u').Append(i.NotForMeUrl is null ? '-' : 'd')
                .Append('\t').Append(i.Reason).Append('\t').Append(i.ReasonUrl).Append('\t').Append(i.Title).Append('\t').Append(i.AuthorLine)
                .Append('\t').Append(i.Summary).Append('\t').Append(i.Votes).Append('\t').Append(i.Upvotes).Append('\t').Append(i.PageUrl)
                .Append('\t').Append(i.ArxivUrl).Append('\t').Append(i.PdfUrl).Append('\t').Append(i.CodeUrl);
        return key.ToString();
    }

    public static DigestEmailModel Placeholders(DigestEmailModel m, string mark) => m with
    {
        Why = mark + "WHYZ",
        Links = m.Links with { PreferencesUrl = mark + "PREFZ", UnsubscribeUrl = mark + "UNSUBZ" },
        Items = [.. m.Items.Select(i => i with
        {
            UpUrl = i.UpUrl is null ? null : string.Create(CultureInfo.InvariantCulture, $"{mark}UP{i.PaperId}Z"),
            NotForMeUrl = i.NotForMeUrl is null ? null : string.Create(CultureInfo.InvariantCulture, $"{mark}DOWN{i.PaperId}Z"),
        })],
    };

    public static DigestTemplate Parse(string html, string mark)
    {
        var slot = new Regex(Regex.Escape(mark) + "([A-Z]+)([0-9]*)Z", RegexOptions.CultureInvariant);
        var literals = new List<string>();
        var slots = new List<(string, long)>();
        var at = 0;
        foreach (Match m in slot.Matches(html))
        {
            literals.Add(html[at..m.Index]);
            slots.Add((m.Groups[1].Value, m.Groups[2].Length == 0 ? 0 : long.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture)));
            at = m.Index + m.Length;
        }
        literals.Add(html[at..]);
        return new DigestTemplate([.. literals], [.. slots]);
    }

    /// <summary>This reader's HTML: each placeholder replaced by the reader's value, HTML-encoded as Razor would have.</summary>
    public string Fill(DigestEmailModel m)
    {
        var html = new StringBuilder(_length + 512 + 256 * _slots.Length);
        for (var i = 0; i < _slots.Length; i++)
        {
            html.Append(_literals[i]);
            var (kind, paperId) = _slots[i];
            var value = kind switch
            {
                "WHY" => m.Why,
                "PREF" => m.Links.PreferencesUrl,
                "UNSUB" => m.Links.UnsubscribeUrl,
                "UP" => m.Items.First(x => x.PaperId == paperId).UpUrl,
                "DOWN" => m.Items.First(x => x.PaperId == paperId).NotForMeUrl,
                _ => null,
            } ?? throw new InvalidOperationException($"No value for the digest placeholder {kind}{paperId}");
            HtmlEncoder.Default.Encode(new StringWriter(html, CultureInfo.InvariantCulture), value);
        }
        return html.Append(_literals[^1]).ToString();
    }
}
