namespace PaperFeed.Site;

/// <summary>
/// Where the app finds appsettings.json, wwwroot and its default data/ folder. A published app (its folder holds wwwroot)
/// uses its own folder, so `dotnet /opt/paperfeed/PaperFeed.dll` started anywhere (a systemd unit without
/// WorkingDirectory) is whole; a development build keeps the current folder, as `dotnet run` expects. An explicit
/// content root (--contentRoot, ASPNETCORE_CONTENTROOT, DOTNET_CONTENTROOT) always wins.
/// </summary>
public static class ContentRoot
{
    public static string? Default(string[] args)
    {
        var explicitRoot = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_").AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        if (!string.IsNullOrEmpty(explicitRoot)) return null;
        return Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null;
    }

    /// <summary>The content root for a host that reads no command line (the operator commands).</summary>
    public static string ForCommands() =>
        Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT") is { Length: > 0 } dotnet ? dotnet
        : Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is { Length: > 0 } aspnet ? aspnet
        : Default([]) ?? Directory.GetCurrentDirectory();
}
