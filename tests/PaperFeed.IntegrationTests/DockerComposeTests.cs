using YamlDotNet.RepresentationModel;

namespace PaperFeed.IntegrationTests;

/// <summary>No Docker engine runs here, so docker-compose.yml is checked at the YAML level.</summary>
public sealed class DockerComposeTests
{
    private static YamlMappingNode Services()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docker-compose.yml"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(dir!.FullName, "docker-compose.yml"))));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string Env(YamlMappingNode service, string key) =>
        ((YamlScalarNode)((YamlMappingNode)service["environment"])[key]).Value!;

    [Fact]
    public void The_app_runs_on_postgres_and_waits_for_it_to_be_healthy()
    {
        var services = Services();
        var postgres = (YamlMappingNode)services["postgres"];
        var app = (YamlMappingNode)services["app"];

        Assert.StartsWith("postgres:", ((YamlScalarNode)postgres["image"]).Value);
        Assert.Contains("pg_isready", postgres["healthcheck"]["test"].ToString());
        Assert.NotEmpty((YamlSequenceNode)postgres["volumes"]);

        Assert.Equal("Dockerfile", ((YamlScalarNode)app["build"]["dockerfile"]).Value);
        Assert.Equal("Postgres", Env(app, "Database__Provider"));
        Assert.Equal("true", Env(app, "Database__MigrateOnStartup"));
        Assert.Contains("Host=postgres", Env(app, "ConnectionStrings__Catalog"));
        Assert.Equal("service_healthy", ((YamlScalarNode)app["depends_on"]["postgres"]["condition"]).Value);
        Assert.Contains("/healthz", app["healthcheck"]["test"].ToString());
    }

    [Fact]
    public void The_app_sends_its_mail_to_the_smtp_catcher_with_a_web_ui()
    {
        var services = Services();
        var mailpit = (YamlMappingNode)services["mailpit"];
        var app = (YamlMappingNode)services["app"];

        Assert.StartsWith("axllent/mailpit", ((YamlScalarNode)mailpit["image"]).Value);
        Assert.Contains("8025:8025", ((YamlSequenceNode)mailpit["ports"]).Children.Select(p => ((YamlScalarNode)p).Value));
        Assert.Equal("mailpit", Env(app, "Smtp__Host"));
        Assert.Equal("1025", Env(app, "Smtp__Port"));
        Assert.False(string.IsNullOrEmpty(Env(app, "App__BaseUrl")));
    }
}
