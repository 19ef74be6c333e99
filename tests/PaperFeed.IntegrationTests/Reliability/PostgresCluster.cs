using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb + pg_ctl on a free port), so a test can stop, restart or kill the server
/// without touching the shared one. As root, the server runs as the postgres system user (it refuses root).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    public int Port { get; }

    private PostgresCluster(string dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    public static string? BinDirectory =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;

    public static async Task<PostgresCluster> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) are not installed: ./build.sh test installs them.");
        var dir = Directory.CreateTempSubdirectory("paperfeed-pgcluster-").FullName;
        if (Environment.UserName == "root") await RunAsync("chown", "postgres", dir);
        var cluster = new PostgresCluster(dir, bin, FreePort());
        await cluster.PgAsync("initdb", "-D", cluster.DataDir, "-A", "trust", "-U", "postgres");
        await cluster.StartServerAsync();
        return cluster;
    }

    private string DataDir => Path.Combine(_dir, "data");

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public Task StartServerAsync() => PgAsync("pg_ctl", "-D", DataDir, "-l", Path.Combine(_dir, "server.log"), "-w", "-o",
        $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    /// <summary>Stops at once: open connections are cut, as in a crash or a failover.</summary>
    public Task StopServerAsync() => PgAsync("pg_ctl", "-D", DataDir, "-m", "immediate", "-w", "stop");

    /// <summary>A client tool (pg_dump, pg_restore) of the newest installed server version, so it can read that server; else from PATH.</summary>
    public static string Tool(string name) =>
        BinDirectory is { } bin && File.Exists(Path.Combine(bin, name)) ? Path.Combine(bin, name) : name;

    private Task PgAsync(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        return Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    internal static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        // pg_ctl start leaves the server holding its output pipe: read only what the tool itself wrote, without waiting for EOF.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await error.WaitAsync(TimeSpan.FromSeconds(5))}");
        return output.IsCompleted ? await output : "";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await StopServerAsync(); } catch (InvalidOperationException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
