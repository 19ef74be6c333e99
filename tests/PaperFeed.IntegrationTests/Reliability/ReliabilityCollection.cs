namespace PaperFeed.IntegrationTests.Reliability;

/// <summary>
/// The multi-process, kill, restart and load tests: one at a time (they measure and kill processes, and share two cores),
/// and run by ./build.sh test in their own "reliability" step (trait Category=Reliability) with its own time budget.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "reliability (sequential)";
    public const string Category = "Category";
    public const string Reliability = "Reliability";
    /// <summary>Tests that mostly wait (on schedules): ./build.sh test runs them beside the other steps, not inside the reliability step.</summary>
    public const string Waiting = "Waiting";
}
