using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Papers;
using PaperFeed.Site;

namespace PaperFeed.Pages.Digests;

/// <summary>/digest/preview: the HTML digest a sample subscriber (all topics, 10 papers) gets for the latest listed day. Links carry no tokens.</summary>
[AllowInlineStyles] // the email's own styles, in the srcdoc frame that inherits this page's policy
public sealed class PreviewModel(CatalogDbContext db, DigestComposer composer, IOptions<AppOptions> site) : PageModel
{
    public DigestContent? Digest { get; private set; }
    public DateOnly? Day { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Day = await db.LatestDayAsync(ct);
        if (Day is not { } day) return;
        var sample = new Subscription { Id = 0, Email = "reader@example.org", MaxPapers = 10 };
        var period = new DigestPeriod(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), day, day);
        var papers = await DigestSelection.SelectAsync(db, sample, period, ct);
        if (papers.Count == 0) return;
        var root = (site.Value.BaseUrl ?? $"{Request.Scheme}://{Request.Host}").TrimEnd('/');
        Digest = await composer.ComposeAsync(sample, period, [.. papers.Select(p => p.ToItem(root))],
            new DigestEmailLinks(root, root + "/digest/preferences", root + "/digest/unsubscribe"), site.Value.SiteName);
    }
}
