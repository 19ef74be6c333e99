using System.CommandLine;
using System.CommandLine.Invocation;
using PaperFeed.Data;
using PaperFeed.Digests;
using PaperFeed.Embeddings;
using PaperFeed.Sources;
using PaperFeed.Synthetic;

namespace PaperFeed.Cli;

/// <summary>
/// The same binary's operator commands, each a class in its feature folder running the site's code paths
/// (<see cref="OperatorCommand"/>). The ingest benchmark, which drops databases, lives in bench/.
/// </summary>
public static class CommandLine
{
    /// <summary>
    /// The table of contents: every command `help` lists. <paramref name="settings"/> win over appsettings.json and the
    /// environment (the integration tests run commands inside their own process with a catalog of their own).
    /// </summary>
    public static RootCommand Root(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = new RootCommand("PaperFeed: with no command, run the site; with one, an operator command on the site's services.")
        {
            new ImportCommand(),
            new BackfillCommand(),
            new MigrateCommand(),
            new SendDigestsCommand(),
            new Command("digests", "digest sending, for operators") { new DigestsStatusCommand() },
            new SeedSyntheticCommand(),
            new EmbedPapersCommand(),
        };
        // `PaperFeed --version` starts the site (only a command name leads here): no such option to list.
        foreach (var version in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(version);
        foreach (var command in Leaves(root)) command.Settings = settings;
        return root;
    }

    private static IEnumerable<OperatorCommand> Leaves(Command command) =>
        command is OperatorCommand leaf ? [leaf] : command.Subcommands.SelectMany(Leaves);

    public static bool IsCommand(string[] args) => args.Length > 0 && (IsHelp(args[0]) || Root().Subcommands.Any(c => c.Name == args[0]));

    private static bool IsHelp(string arg) => arg is "help" or "--help" or "-h";

    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Root(settings);
        if (args is [var only] && IsHelp(only))
        {
            Console.WriteLine(Listing(root));
            return 0;
        }
        // `help import` reads as `import --help`; file names starting with @ are files, not response files.
        string[] tokens = args is ["help", .. var rest] ? [.. rest, "--help"] : args;
        var parse = root.Parse(tokens, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return parse.Action is ParseErrorAction ? await RefuseAsync(parse, args) : await parse.InvokeAsync();
    }

    /// <summary>What `help` prints: every command on one line with its options, as the commands' own usage lines say.</summary>
    private static string Listing(RootCommand root)
    {
        var rows = Leaves(root).Select(c => (Usage: c.Usage["usage: ".Length..], Description: c.Description ?? ""))
            .Append((Usage: "help [command]", Description: "this text, or a command's options and what they mean")).ToList();
        // One column for the usual lengths; a longer usage line pushes its own description along.
        var width = Math.Min(rows.Max(r => r.Usage.Length), 38) + 3;
        return string.Join('\n', [
            "usage: PaperFeed [command]   (no command: run the site)",
            .. rows.Select(r => $"  {r.Usage.PadRight(width)}{(r.Usage.Length >= width ? "   " : "")}{r.Description}"),
            "Settings come from appsettings.json beside the binary and the environment (Database__Provider, ConnectionStrings__Catalog, ...).",
        ]);
    }

    /// <summary>Bad input: one line on stderr, no help page; 1 for a command's arguments, 2 for no command at all.</summary>
    private static async Task<int> RefuseAsync(System.CommandLine.ParseResult parse, string[] args)
    {
        if (parse.CommandResult.Command is not OperatorCommand command)
        {
            await Console.Error.WriteLineAsync($"{string.Join(' ', args)}: not understood; `help` lists the commands");
            return 2;
        }
        await Console.Error.WriteLineAsync(parse.UnmatchedTokens.Count > 0 ? command.NotUnderstood(parse.UnmatchedTokens) : parse.Errors[0].Message);
        return 1;
    }
}
