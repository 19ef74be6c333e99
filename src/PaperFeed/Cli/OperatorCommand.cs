using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Serilog;

namespace PaperFeed.Cli;

/// <summary>
/// An operator command: parsed by System.CommandLine, run on a plain host with the site's own services
/// (<see cref="PaperFeedCore.AddPaperFeedCore"/>), failing with one line on stderr and exit code 1.
/// </summary>
public abstract class OperatorCommand : Command
{
    protected OperatorCommand(string name, string description, string usage) : base(name, description)
    {
        Usage = usage;
        SetAction((parse, ct) => RunOnHostAsync(parse, ct));
    }

    /// <summary>The one-line usage quoted in refusals, e.g. "usage: embed-papers [--limit N]".</summary>
    public string Usage { get; }

    /// <summary>Settings that win over appsettings.json and the environment (<see cref="CommandLine.Root"/>).</summary>
    public IReadOnlyDictionary<string, string?>? Settings { get; set; }

    /// <summary>The refusal for arguments the command does not know (overridden where the wording was set before).</summary>
    public virtual string NotUnderstood(IReadOnlyList<string> tokens) => $"{string.Join(' ', tokens)}: not understood ({Usage})";

    protected abstract Task<int> RunAsync(ParseResult parse, IServiceProvider services, CancellationToken ct);

    private async Task<int> RunOnHostAsync(ParseResult parse, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = PaperFeed.Site.ContentRoot.ForCommands() });
        if (Settings is not null) builder.Configuration.AddInMemoryCollection(Settings);
        builder.Services.AddSerilog((_, log) => log.ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning));
        // The site's own services (Program.cs), without the web parts.
        builder.AddPaperFeedCore();
        using var host = builder.Build();
        try
        {
            return await RunAsync(parse, host.Services, ct);
        }
        // Expected failures (schema behind, a refused seed, an unreachable server) are one line, not a stack trace.
        catch (Exception ex) when (ex is InvalidOperationException or DbUpdateException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"{Name} failed: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Refuses with a one-line reason on stderr: exit code 1.</summary>
    protected static int Fail(string reason)
    {
        Console.Error.WriteLine(reason);
        return 1;
    }

    /// <summary>
    /// `dotnet run` starts the app in its project folder; a relative path means the caller's folder,
    /// which the shell still names in PWD.
    /// </summary>
    protected static string CallerPath(string input)
    {
        // A NUL is no file name (a shell cannot pass one; a caller in the same process can): the reader refuses it.
        if (Path.IsPathRooted(input) || input.Contains('\0', StringComparison.Ordinal)) return input;
        var callerDir = Environment.GetEnvironmentVariable("PWD");
        if (!string.IsNullOrEmpty(callerDir) && Directory.Exists(callerDir))
        {
            var fromCaller = Path.GetFullPath(Path.Combine(callerDir, input));
            if (File.Exists(fromCaller) || !File.Exists(input)) return fromCaller;
        }
        return input;
    }

    /// <summary>An option whose value is parsed by <paramref name="parse"/>; a value it refuses is refused as <see cref="NotUnderstood"/>.</summary>
    protected Option<T> Valued<T>(string name, string helpName, string description, TryParse<T> parse)
    {
        var option = new Option<T>(name) { HelpName = helpName, Description = description };
        option.CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (parse(token, out var value)) return value;
            result.AddError(NotUnderstood([name, token]));
            return default!;
        };
        return option;
    }

    protected delegate bool TryParse<T>(string text, out T value);

    protected static bool Day(string text, out DateOnly day) => DateOnly.TryParseExact(text, "yyyy-MM-dd", out day);
}
