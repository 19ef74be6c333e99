using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MimeKit;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.IntegrationTests.Infrastructure;
using PaperFeed.Sources;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// One site full of attacks, shared by the security tests: a Hugging Face day whose papers carry XSS payloads in every
/// scraped field, fetched over HTTP from a loopback server through the real source run; a topic named with a payload,
/// made on the admin form; an administrator, a reader, and an active subscriber whose digest has been sent to a real
/// SMTP server on loopback.
/// </summary>
public sealed class SecuritySite : IAsyncLifetime
{
    /// <summary>Friday morning: Thursday's daily digest is due.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 12, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Thursday = new(2026, 6, 11);
    public const string AdminEmail = "admin@example.org";
    public const string ReaderEmail = "reader@example.org";
    public const string SubscriberEmail = "subscriber@example.org";
    public const string TopicSlug = "zebrafish-xss";

    /// <summary>Payload classes: each is put into every text field of one paper (title, abstract, authors…).</summary>
    public static readonly IReadOnlyDictionary<string, string> Payloads = new Dictionary<string, string>
    {
        ["script"] = "<script>alert('pf-script')</script>",
        ["event handler"] = "<img src=x onerror=alert('pf-onerror')>",
        ["attribute breakout"] = "\"'><b onmouseover=alert('pf-breakout')>x</b>",
        ["svg"] = "<svg/onload=alert('pf-svg')><svg><script>alert('pf-svg2')</script></svg>",
        ["javascript url"] = "<a href=\"javascript:alert('pf-js')\">click</a>",
        ["style and iframe"] = "<style>*{display:none}</style><iframe src=\"javascript:alert('pf-iframe')\"></iframe>",
        ["xml breakout"] = "]]></title><script>alert('pf-cdata')</script><![CDATA[",
    };

    /// <summary>Links put into the link fields (code, project page, thumbnail): none is http(s).</summary>
    public static readonly string[] BadLinks = ["javascript:alert('pf-link')", "data:text/html,<script>alert('pf-data')</script>", "vbscript:msgbox(1)", "JaVaScRiPt:alert(1)"];

    private readonly FixedTimeProvider _clock = new(Now);
    public SmtpSink Smtp { get; private set; } = null!;
    public LoopbackServer Remote { get; private set; } = null!;
    public PaperFeedApp App { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Reader { get; private set; } = null!;
    /// <summary>arXiv ids of the payload papers, in the order of <see cref="Payloads"/>.</summary>
    public List<string> PaperIds { get; } = [];
    public long AnyPaperId { get; private set; }

    public static string Marker(int i) => $"Zebrafish{i}";

    public async Task InitializeAsync()
    {
        Smtp = SmtpSink.Start();
        Remote = await LoopbackServer.StartAsync();
        var settings = Smtp.SettingsForApp().ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        settings["Sources:RecentDays"] = "1";
        settings["Sources:Seed:0:Url"] = Remote.BaseUrl + "/papers/date/{date}";
        settings["Sources:Seed:0:FallbackUrl"] = Remote.BaseUrl + "/api/daily_papers?date={date}";
        // The rate limits have their own tests; here many requests come from one client.
        settings["RateLimits:AuthPermitLimit"] = "1000";
        settings["RateLimits:VotePermitLimit"] = "1000";
        // Production's password hashing: AbuseTests time known against unknown addresses, and a whole hash must show.
        App = await PaperFeedApp.StartAsync(DatabaseProvider.Sqlite, settings, s =>
        {
            s.Replace(ServiceDescriptor.Singleton<TimeProvider>(_clock));
            s.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = new Microsoft.AspNetCore.Identity.PasswordHasherOptions().IterationCount);
        });
        Admin = await TestAccounts.AdminAsync(App, AdminEmail);
        Reader = await TestAccounts.SignedInAsync(App, ReaderEmail);

        // A topic whose name is a payload, made by an administrator on the real form, before the papers arrive.
        var topic = await Admin.SubmitAsync("/topics/edit", "main form[method=post]", new Dictionary<string, string>
        {
            ["Input.Name"] = Payloads["script"] + Payloads["event handler"],
            ["Input.Slug"] = TopicSlug,
            ["Input.Phrases"] = "zebrafish",
            ["Input.Description"] = Payloads["svg"],
        });
        Assert.Equal(HttpStatusCode.Redirect, topic.StatusCode);

        Remote.MapText("/papers/date/2026-06-12", HfPage(), "text/html; charset=utf-8");
        var sourceId = await App.WithDbAsync(db => db.Sources.Where(s => s.Kind == SourceKind.HuggingFacePage).Select(s => s.Id).SingleAsync());
        await App.WithScopeAsync(s => s.GetRequiredService<SourceRunner>().RunAsync(sourceId));
        var error = await App.WithDbAsync(db => db.Sources.Where(s => s.Id == sourceId).Select(s => s.LastError).SingleAsync());
        Assert.Null(error);
        AnyPaperId = await App.WithDbAsync(db => db.Papers.Select(p => p.Id).FirstAsync());

        // The digest, composed and sent like any other.
        await App.WithDbAsync(async db =>
        {
            db.Subscriptions.Add(new Subscription { Email = SubscriberEmail, Status = SubscriptionStatus.Active, CreatedAt = Now.UtcDateTime });
            db.Subscriptions.Add(new Subscription { Email = "text-" + SubscriberEmail, Format = DigestFormat.Text, Status = SubscriptionStatus.Active, CreatedAt = Now.UtcDateTime });
            return await db.SaveChangesAsync();
        });
        var run = await App.WithScopeAsync(s => s.GetRequiredService<SendDigestsJob>().RunOnceAsync(null, CancellationToken.None));
        Assert.Equal(2, run.Sent);
    }

    public IReadOnlyList<MimeMessage> Digests => [.. Smtp.Received.Where(m => m.To.Mailboxes.Any(a => a.Address.EndsWith(SubscriberEmail, StringComparison.Ordinal)))];

    /// <summary>A Hugging Face papers page (the data in the element's data-props, as huggingface.co serves it) with one paper per payload.</summary>
    private string HfPage()
    {
        var items = new List<object>();
        var i = 0;
        foreach (var payload in Payloads.Values)
        {
            var id = $"2606.{20001 + i}";
            PaperIds.Add(id);
            var link = BadLinks[i % BadLinks.Length];
            var title = $"{payload} {Marker(i)} reasoning";
            var paper = new Dictionary<string, object?>
            {
                ["id"] = id,
                ["authors"] = new[] { new { name = payload, hidden = false }, new { name = "Ada " + payload, hidden = false } },
                ["publishedAt"] = "2026-06-10T00:00:00.000Z",
                ["submittedOnDailyAt"] = "2026-06-11T00:00:00.000Z",
                ["title"] = title,
                ["summary"] = $"Zebrafish models. {payload} We study zebrafish reasoning.",
                ["upvotes"] = 50 - i,
                ["ai_summary"] = $"Zebrafish {payload}",
                ["ai_keywords"] = new[] { payload, "zebrafish" },
                ["githubRepo"] = link,
                ["projectPage"] = link,
                ["submittedOnDailyBy"] = new { fullname = payload, name = payload, user = payload },
                ["organization"] = new { name = payload, fullname = payload },
            };
            items.Add(new Dictionary<string, object?>
            {
                ["paper"] = paper,
                ["title"] = title,
                ["summary"] = paper["summary"],
                ["thumbnail"] = link,
                ["numComments"] = 1,
                ["submittedBy"] = new { fullname = payload, name = payload },
                ["organization"] = new { name = payload, fullname = payload },
            });
            i++;
        }
        var props = JsonSerializer.Serialize(new { dailyPapers = items });
        return $"<!DOCTYPE html><html><body><div class=\"SVELTE_HYDRATER contents\" data-target=\"DailyPapers\" data-props=\"{WebUtility.HtmlEncode(props)}\"></div></body></html>";
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        Reader.Dispose();
        await App.DisposeAsync();
        await Remote.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SecuritySiteCollection : ICollectionFixture<SecuritySite>
{
    public const string Name = "a site full of attacks";
}
