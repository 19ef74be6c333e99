using System.Diagnostics;
using System.Text;
using PaperFeed.Cli;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// The app's operator commands (import, backfill, seed-synthetic, embed-papers, …) against a test's catalog, either
/// inside the test process (<see cref="RunAsync"/>: the same parse, host, services and output as the binary, without
/// the 2–3 s of JIT a new process pays, which was a quarter of the integration step) or as a real process of the binary
/// (<see cref="RunProcessAsync"/>, <see cref="ProcessStart"/>) where the process itself is under test: the entry point,
/// environment variables, kills.
/// </summary>
public static class AppCommand
{
    public sealed record Run(int ExitCode, string[] Out, string Error);

    /// <summary>The catalog settings every command run gets, then <paramref name="settings"/> (keys as in appsettings: "Sources:Seed:0:Url").</summary>
    public static Dictionary<string, string?> Settings(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["Database:MigrateOnStartup"] = "true",
            ["ConnectionStrings:Catalog"] = database.ConnectionString,
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // Seeded sources never reach the internet from a test.
            ["Sources:ArxivApiUrl"] = "http://127.0.0.1:9/api/query",
        };
        for (var i = 0; i < 5; i++) all[$"Sources:Seed:{i}:Url"] = $"http://127.0.0.1:9/unset-seed-{i}";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return all;
    }

    /// <summary>Runs a command in this process; stdout and stderr are this run's alone (<see cref="ConsoleCapture"/>).</summary>
    public static async Task<Run> RunAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings, params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await ConsoleCapture.RunAsync(output, error, () => CommandLine.RunAsync(args, Settings(database, settings)))
            .WaitAsync(TimeSpan.FromMinutes(3));
        return new Run(exitCode, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString().Trim());
    }

    public static Task<Run> RunAsync(TestDatabase database, params string[] args) => RunAsync(database, null, args);

    /// <summary>The binary as an operator starts it: settings as environment variables ("Sources__Seed__0__Url").</summary>
    public static ProcessStartInfo ProcessStart(TestDatabase database, IReadOnlyDictionary<string, string?>? settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PaperFeed.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in Settings(database, settings)) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    public static async Task<Run> RunProcessAsync(TestDatabase database, IReadOnlyDictionary<string, string?>? settings, params string[] args)
    {
        using var process = Process.Start(ProcessStart(database, settings, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new Run(process.ExitCode, (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries), (await error).Trim());
    }

    public static Task<Run> RunProcessAsync(TestDatabase database, params string[] args) => RunProcessAsync(database, null, args);
}

/// <summary>
/// Console.Out and Console.Error of the test process, routed per async flow: a command run in process writes to its
/// own writers while other tests (and their in-process sites' logs) keep writing to the real streams.
/// </summary>
public static class ConsoleCapture
{
    private static readonly AsyncLocal<(TextWriter Out, TextWriter Error)?> Current = new();

    /// <summary>Installed once, before any host is built (<see cref="TestProcessSetup"/>).</summary>
    internal static void Install()
    {
        Console.SetOut(new Routed(Console.Out, () => Current.Value?.Out));
        Console.SetError(new Routed(Console.Error, () => Current.Value?.Error));
    }

    public static async Task<T> RunAsync<T>(TextWriter output, TextWriter error, Func<Task<T>> work)
    {
        Current.Value = (TextWriter.Synchronized(output), TextWriter.Synchronized(error));
        try
        {
            return await Task.Run(work);
        }
        finally
        {
            Current.Value = null;
        }
    }

    private sealed class Routed(TextWriter fallback, Func<TextWriter?> current) : TextWriter
    {
        private TextWriter Target => current() ?? fallback;
        public override Encoding Encoding => fallback.Encoding;
        public override void Write(char value) => Target.Write(value);
        public override void Write(string? value) => Target.Write(value);
        public override void Write(char[] buffer, int index, int count) => Target.Write(buffer, index, count);
        public override void WriteLine(string? value) => Target.WriteLine(value);
        public override Task WriteAsync(char value) { Write(value); return Task.CompletedTask; }
        public override Task WriteAsync(string? value) { Write(value); return Task.CompletedTask; }
        public override Task WriteLineAsync(string? value) { WriteLine(value); return Task.CompletedTask; }
        public override Task WriteLineAsync() { WriteLine(); return Task.CompletedTask; }
        public override void Flush() => Target.Flush();
        public override Task FlushAsync() { Flush(); return Task.CompletedTask; }
    }
}
