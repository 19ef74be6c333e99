using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Browser;

/// <summary>
/// The published app as a real process on a free loopback port (a browser needs a real socket), with a catalog
/// imported through the import command, and Debian's Chromium driven by Playwright (no browser download).
/// </summary>
public sealed class BrowserSite : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private TestDatabase _database = null!;
    private Process? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    /// <summary>The mailbox of the site: the app process sends its email here over SMTP.</summary>
    public SmtpSink Mail { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    /// <summary>A confirmed account for the signed-in page checks.</summary>
    public const string ReaderEmail = "signed-in-reader@example.org";
    public string ScreenshotDir { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: ./build.sh test installs Debian's chromium package.");
        Directory.CreateDirectory(ScreenshotDir);
        _database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
        Mail = await SmtpSink.StartAsync();
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Catalog"] = _database.ConnectionString,
            ["Jobs__RunServer"] = "false",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // The site's wwwroot lives in the project folder, as with `dotnet run`.
            ["ASPNETCORE_CONTENTROOT"] = ProjectFolder(),
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp__Security"] = "None",
            ["Smtp__From"] = SmtpSink.From,
            ["App__BaseUrl"] = BaseUrl,
            // Every browser test signs in from 127.0.0.1: the per-address limit of the account pages is not under test here.
            ["RateLimits__AuthPermitLimit"] = "1000",
        };
        for (var i = 0; i < 5; i++) environment[$"Sources__Seed__{i}__Url"] = $"http://127.0.0.1:9/seed-{i}/{{date}}";

        var import = Start(environment, "import", Fixtures.PathOf("hf-day-2026-06-12.json"), Fixtures.PathOf("hf-day-2026-06-15.json"),
            Fixtures.PathOf("hf-day-2026-06-16-related.json"));
        await import.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (import.ExitCode != 0) throw new InvalidOperationException("import failed: " + await import.StandardError.ReadToEndAsync());

        // Related papers come from a background job; run it once on the same catalog, as the schedule would.
        await using (var jobs = new PaperFeedApp(_database, ownsDatabase: false))
        {
            await jobs.WithScopeAsync(s => s.GetRequiredService<PaperFeed.Papers.Related.RelatedPapersJob>().RunAsync(CancellationToken.None));
            await TestAccounts.CreateAsync(jobs, ReaderEmail);
            // A busy Hugging Face day (a dozen papers, thumbnails on HF's CDN that never load here) for the compact view.
            await jobs.WithScopeAsync(async s =>
            {
                var db = s.GetRequiredService<CatalogDbContext>();
                var hf = db.Sources.Where(x => x.Kind == PaperFeed.Sources.SourceKind.HuggingFacePage).OrderBy(x => x.Id).Select(x => x.Id).First();
                return await s.GetRequiredService<PaperFeed.Papers.PaperIngestor>().IngestAsync(hf, BusyDayPapers());
            });
        }

        environment["ASPNETCORE_URLS"] = BaseUrl;
        _app = Start(environment);
        await WaitUntilServingAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The busy day: <see cref="BusyDayCount"/> papers listed by Hugging Face, far from the other fixtures' days.</summary>
    public static readonly DateOnly BusyDay = new(2026, 5, 4);
    public const int BusyDayCount = 12;

    private static List<PaperFeed.Sources.PaperRecord> BusyDayPapers() =>
    [
        .. Enumerable.Range(1, BusyDayCount).Select(i => new PaperFeed.Sources.PaperRecord
        {
            ArxivId = $"2605.0{i:D4}",
            Title = $"Sparse Mixture-of-Experts Routing for Long-Context Retrieval-Augmented Generation, Study {i}",
            Authors = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth"],
            Abstract = string.Concat(Enumerable.Repeat("We study how sparse routing changes what a long-context model retrieves and how it answers. ", 6)),
            AiSummary = "Routing each token to two of sixty-four experts keeps long-context retrieval accurate at a third of the compute.",
            ListDay = BusyDay,
            Upvotes = 10 * i,
            NumComments = i % 3,
            GithubRepo = i % 2 == 0 ? $"https://github.com/example/moe-{i}" : null,
            Thumbnail = $"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2605.0{i:D4}.png",
            PublishedAt = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc),
        }),
    ];

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = height }, ColorScheme = scheme,
        });
        // Nothing leaves the machine: any request that is not to the site is aborted (thumbnails on HF's CDN included).
        await context.RouteAsync(url => !url.StartsWith(BaseUrl, StringComparison.Ordinal), route => route.AbortAsync());
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as the confirmed reader through the login form, as a person would.</summary>
    public async Task<IPage> SignedInPageAsync(int width = 1280, int height = 900, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(width, height, scheme);
        await page.GotoAsync("/account/login");
        await page.FillAsync("#Input_Email", ReaderEmail);
        await page.FillAsync("#Input_Password", TestAccounts.Password);
        await page.ClickAsync("main button[type=submit]");
        await page.WaitForURLAsync(BaseUrl + "/");
        return page;
    }

    /// <summary>
    /// axe-core's serious and critical violations on the page, one line each. Only violations come back (axe's passes
    /// and inapplicable rules are most of a result and nothing here reads them). <paramref name="coloursOnly"/> runs the
    /// contrast rule alone: a colour scheme changes colours, not markup, so the other scheme's full pass covers the rest.
    /// </summary>
    public static async Task<List<string>> SeriousViolationsAsync(IPage page, bool coloursOnly = false)
    {
        var options = new Deque.AxeCore.Commons.AxeRunOptions
        {
            ResultTypes = [Deque.AxeCore.Commons.ResultType.Violations],
            RunOnly = coloursOnly ? new Deque.AxeCore.Commons.RunOnlyOptions { Type = "rule", Values = ["color-contrast"] } : null,
        };
        var results = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, options);
        return results.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")
            .ToList();
    }

    private static Process Start(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperFeed.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        // Drain the output so a chatty process never blocks on a full pipe.
        if (args.Length == 0) { process.OutputDataReceived += (_, _) => { }; process.BeginOutputReadLine(); }
        return process;
    }

    internal static string ProjectFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PaperFeed.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("PaperFeed.sln not found above the test folder"), "src", "PaperFeed");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            if (_app!.HasExited) throw new InvalidOperationException("the app exited: " + await _app.StandardError.ReadToEndAsync());
            try
            {
                if ((await http.GetAsync(BaseUrl + "/")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("the app did not start within 30 s");
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false }) { _app.Kill(entireProcessTree: true); await _app.WaitForExitAsync(); }
        _app?.Dispose();
        await _database.DisposeAsync();
        if (Mail is not null) await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSite>
{
    public const string Name = "browser";
}
