using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("PaperFeed.IntegrationTests.Infrastructure.LongestFirst", "PaperFeed.IntegrationTests")]

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the longest test collections first, the rest in xUnit's own order. Collections run side by side, but each
/// collection's tests one after another: the browser collection alone is a few minutes of tests in a row, and when it
/// started late (xUnit's default order put it past the middle) it was the last thing running, on one core.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    // The longest collections of a run (sums of the TRX durations, longest first).
    private static readonly string[] Longest = [Browser.BrowserCollection.Name, "SendDigestsCommandTests", "PublishedAppTests", "ImportCommandTests"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => Rank(c.DisplayName));

    private static int Rank(string name)
    {
        var rank = Array.FindIndex(Longest, n => name == n || name.EndsWith("." + n, StringComparison.Ordinal));
        return rank < 0 ? Longest.Length : rank;
    }
}
