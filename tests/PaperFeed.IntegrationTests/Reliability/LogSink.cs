using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>Keeps the app's Serilog events (the app reads sinks from its services), so a test can find the line an operator would read.</summary>
public sealed class LogSink : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();
    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    public IEnumerable<string> Lines(LogEventLevel atLeast) =>
        Events.Where(e => e.Level >= atLeast).Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
}
