namespace PaperFeed.IntegrationTests.Infrastructure;

public static class Fixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
    public static string Read(string name) => File.ReadAllText(PathOf(name));
}
