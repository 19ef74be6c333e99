using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// The app's own binary as a separate process (the site, or a CLI command), configured by environment variables,
/// with its output kept for the test. Killed with SIGKILL when the test says so, and always at dispose.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    public ConcurrentQueue<string> Output { get; } = new();
    public string? BaseUrl { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    private AppProcess(Process process, string? baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperFeed.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        start.Environment["Database__MigrateOnStartup"] = "true";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    /// <summary>A CLI command (import, send-digests, …).</summary>
    public static AppProcess Command(IReadOnlyDictionary<string, string> settings, params string[] args) =>
        new(Process.Start(StartInfo(settings, args))!, null);

    /// <summary>The site on a free loopback port; returns once it answers /healthz.</summary>
    public static async Task<AppProcess> SiteAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var all = new Dictionary<string, string>(settings) { ["ASPNETCORE_URLS"] = url };
        var site = new AppProcess(Process.Start(StartInfo(all, []))!, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (site.HasExited) throw new InvalidOperationException($"the site exited with {site.ExitCode}: {string.Join('\n', site.Output)}");
            try
            {
                if ((await http.GetAsync(url + "/healthz")).StatusCode == HttpStatusCode.OK) return site;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await site.DisposeAsync();
        throw new TimeoutException($"the site did not answer /healthz within 2 minutes: {string.Join('\n', site.Output)}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Say what the process was doing: its last lines, and SQLite or PostgreSQL errors among them.
            throw new TimeoutException($"process {_process.Id} did not exit within {timeout.TotalSeconds:0} s; its last output:\n"
                + string.Join('\n', Output.TakeLast(40)));
        }
        _process.WaitForExit(); // flushes the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>The process's resident memory (VmRSS), in bytes.</summary>
    public long WorkingSet()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try { await KillAsync(); } catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
