namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>A clock the test sets: "today" for the sources, "now" for backoff.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
