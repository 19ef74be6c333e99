using System.Diagnostics;

namespace PaperFeed.Cli;

/// <summary>
/// Progress of a long command on stderr (stdout keeps the summary): a bar redrawn in place on a terminal,
/// otherwise a line every 10% or 10 seconds, so logs of a redirected run stay short.
/// </summary>
public sealed class ProgressReporter(string what, long total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _terminal = !Console.IsErrorRedirected;
    private TimeSpan _lastLine = TimeSpan.Zero;
    private long _lastDone;
    private int _lastTenth;

    public void Report(int done) => Report((long)done);

    public void Report(long done)
    {
        var elapsed = _clock.Elapsed;
        var fraction = total == 0 ? 1 : Math.Min(1, (double)done / total);
        var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var numbers = $"{fraction,4:P0} {done:N0}/{total:N0} {rate:N0}/s, {elapsed:m\\:ss} elapsed, {eta:m\\:ss} left";
        if (_terminal)
        {
            var filled = (int)(fraction * 30);
            Console.Error.Write($"\r{what} [{new string('#', filled)}{new string('.', 30 - filled)}] {numbers}   ");
            return;
        }
        var tenth = (int)(fraction * 10);
        if (tenth == _lastTenth && elapsed - _lastLine < TimeSpan.FromSeconds(10) && done != total) return;
        if (done == _lastDone) return;
        (_lastTenth, _lastLine, _lastDone) = (tenth, elapsed, done);
        Console.Error.WriteLine($"{what}: {numbers}");
    }

    public void Done()
    {
        if (_terminal) Console.Error.WriteLine();
    }
}
