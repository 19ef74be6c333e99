using System.Runtime.CompilerServices;

namespace PaperFeed.IntegrationTests.Infrastructure;

internal static class TestProcessSetup
{
    /// <summary>
    /// Hundreds of in-process apps each watch their config files; with inotify that exhausts the user's
    /// 128 instances. Polling watchers need none (set before any host is built). Operator commands run in
    /// process write to their own console (<see cref="ConsoleCapture"/>).
    /// </summary>
    [ModuleInitializer]
    internal static void Setup()
    {
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "1");
        ConsoleCapture.Install();
    }
}
