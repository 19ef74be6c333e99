using System.Runtime.CompilerServices;

namespace PaperFeed.IntegrationTests.Infrastructure;

internal static class TestProcessSetup
{
    /// <summary>
    /// Hundreds of in-process apps each watch their config files; with inotify that exhausts the user's
    /// 128 instances. Polling watchers need none (set before any host is built).
    /// </summary>
    [ModuleInitializer]
    internal static void UsePollingFileWatchers() =>
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
}
