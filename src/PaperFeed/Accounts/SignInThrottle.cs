using System.Collections.Concurrent;

namespace PaperFeed.Accounts;

/// <summary>
/// Failed sign-ins per (account, client address): after <see cref="FreeFailures"/> that client waits, from one minute
/// doubling to an hour. Replaces Identity's account lockout, which anyone could trigger to keep someone else out; here
/// a guesser only slows itself down, and the owner signing in from elsewhere is never affected. Per instance, in memory.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int FreeFailures = 5;
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(string Email, string Client), (int Failures, DateTimeOffset Until)> failures = new();

    /// <summary>How long this client must wait before trying this account again, or null.</summary>
    public TimeSpan? Wait(string email, string client)
    {
        if (!failures.TryGetValue(Key(email, client), out var entry)) return null;
        var left = entry.Until - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    public void Failed(string email, string client)
    {
        // A flood of made-up addresses must not grow memory without bound; forgetting everyone only gives guessers a reset.
        if (failures.Count >= MaxEntries) failures.Clear();
        failures.AddOrUpdate(Key(email, client), _ => (1, DateTimeOffset.MinValue), (_, e) =>
        {
            var count = e.Failures + 1;
            var wait = count < FreeFailures ? TimeSpan.Zero
                : TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, count - FreeFailures)));
            return (count, time.GetUtcNow() + wait);
        });
    }

    public void Succeeded(string email, string client) => failures.TryRemove(Key(email, client), out _);

    private static (string, string) Key(string email, string client) => (email.Trim().ToUpperInvariant(), client);
}
