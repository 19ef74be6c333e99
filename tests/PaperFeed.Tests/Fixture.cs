namespace PaperFeed.Tests;

/// <summary>Reads a fixture copied to the test output folder.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
