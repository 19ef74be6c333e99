using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using PaperFeed.IntegrationTests.Browser;

namespace PaperFeed.IntegrationTests.Site;

/// <summary>
/// The published app started as an operator would (`dotnet /opt/paperfeed/PaperFeed.dll` from another folder, as a
/// systemd unit without WorkingDirectory): settings, stylesheet and the default SQLite file all come from the app's folder.
/// </summary>
public sealed partial class PublishedAppTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("paperfeed-published-").FullName;

    [Fact]
    public async Task Started_from_another_folder_the_published_app_reads_its_settings_and_serves_its_fingerprinted_stylesheet()
    {
        var app = Path.Combine(_root, "app");
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        // The test build already compiled the app in Release: publishing only lays out the files (wwwroot included).
        var publish = await RunAsync(BrowserSite.ProjectFolder(), "publish", "-c", "Release", "--no-build", "-o", app, "-nologo", "-v", "quiet");
        Assert.True(publish.ExitCode == 0, publish.Output);

        var environment = new Dictionary<string, string> { ["Jobs__RunServer"] = "false", ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var migrate = await RunAsync(elsewhere, environment, Path.Combine(app, "PaperFeed.dll"), "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.Output);
        Assert.Contains("the catalog schema is up to date", migrate.Output);

        var port = FreePort();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var site = Start(elsewhere, environment, Path.Combine(app, "PaperFeed.dll"));
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var home = await WaitForAsync(http, site);
            var stylesheet = StylesheetLink().Match(home);
            Assert.True(stylesheet.Success, "the page links no fingerprinted /css/site.css: " + home[..Math.Min(home.Length, 2000)]);
            using var css = await http.GetAsync(WebUtility.HtmlDecode(stylesheet.Groups[1].Value));
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty(await css.Content.ReadAsStringAsync());
        }
        finally
        {
            site.Kill(entireProcessTree: true);
            await site.WaitForExitAsync();
        }

        // The default catalog is in the app's data/ folder, not where the process started, and holds the sources
        // seeded from the app's appsettings.json (proof that file was read).
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "data")));
        var file = Path.Combine(app, "data", "paperfeed.db");
        Assert.True(File.Exists(file));
        await using var db = new SqliteConnection($"Data Source={file};Pooling=false");
        await db.OpenAsync();
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Sources";
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0, "no sources were seeded from appsettings.json");
    }

    [GeneratedRegex("""<link rel="stylesheet" href="(/css/site\.css\?v=[^"]+)" """)]
    private static partial Regex StylesheetLink();

    private static Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] args) => RunAsync(folder, [], args);

    private static async Task<(int ExitCode, string Output)> RunAsync(string folder, Dictionary<string, string> environment, params string[] args)
    {
        using var process = Start(folder, environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output + await error);
    }

    private static Process Start(string folder, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test runner's own content root must not leak into the app.
        start.Environment.Remove("ASPNETCORE_CONTENTROOT");
        start.Environment.Remove("DOTNET_CONTENTROOT");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return Process.Start(start)!;
    }

    private static async Task<string> WaitForAsync(HttpClient http, Process site)
    {
        // Drain the output so a chatty process never blocks on a full pipe.
        site.OutputDataReceived += (_, _) => { };
        site.BeginOutputReadLine();
        for (var i = 0; i < 240; i++)
        {
            if (site.HasExited) throw new InvalidOperationException("the app exited: " + await site.StandardError.ReadToEndAsync());
            try
            {
                using var response = await http.GetAsync("/");
                if (response.IsSuccessStatusCode) return await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("the published app did not start within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
