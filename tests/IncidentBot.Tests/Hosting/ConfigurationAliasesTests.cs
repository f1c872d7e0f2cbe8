using IncidentBot.Hosting;
using Microsoft.Extensions.Configuration;

namespace IncidentBot.Tests.Hosting;

public sealed class ConfigurationAliasesTests
{
    [Fact]
    public void DotEnvValuesAndConventionalNamesReachTheirConfigurationKeys()
    {
        var root = Directory.CreateTempSubdirectory("dotenv").FullName;
        File.WriteAllText(Path.Combine(root, ".env"), """
            # comment
            SLACK_SIGNING_SECRET="from-dotenv"
            export CLERK_SECRET_KEY=sk_test_dotenv
            Storage__Path=/tmp/elsewhere.db
            EMPTY=
            """);
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = "data/incidentbot.db" });

        ConfigurationAliases.Apply(configuration, root, []);

        Assert.Equal("from-dotenv", configuration["Slack:SigningSecret"]);
        Assert.Equal("sk_test_dotenv", configuration["Clerk:SecretKey"]);
        Assert.Equal("/tmp/elsewhere.db", configuration["Storage:Path"]);
    }

    [Fact]
    public void TheCommandLineWinsOverDotEnv()
    {
        var root = Directory.CreateTempSubdirectory("dotenv").FullName;
        File.WriteAllText(Path.Combine(root, ".env"), "Reports__Path=from-dotenv\n");
        var configuration = new ConfigurationManager();

        ConfigurationAliases.Apply(configuration, root, ["--Reports:Path=from-command-line"]);

        Assert.Equal("from-command-line", configuration["Reports:Path"]);
    }
}
