using IncidentBot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using IncidentBot.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace IncidentBot.Tests.Hosting;

/// <summary>
/// There is no Docker daemon (and no hadolint) in CI, so the Dockerfile, compose file and systemd unit are checked here
/// for what they must say: a multi-stage build, a non-root user, data/ a volume, a healthcheck on /healthz, and COPY
/// sources that exist in the repository and are not hidden by .dockerignore.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private readonly TestFolder _folder = new();

    private static IReadOnlyList<(string Instruction, string Arguments)> Dockerfile() =>
        File.ReadAllLines(Path.Combine(Repo.Root, "Dockerfile"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Aggregate(new List<string>(), (lines, l) =>
            {
                if (lines.Count > 0 && lines[^1].EndsWith('\\'))
                {
                    lines[^1] = lines[^1].TrimEnd('\\') + " " + l;
                }
                else
                {
                    lines.Add(l);
                }

                return lines;
            })
            .Select(l => (l.Split(' ', 2)[0].ToUpperInvariant(), l.Split(' ', 2).ElementAtOrDefault(1) ?? ""))
            .ToList();

    [Fact]
    public void TheDockerfileBuildsInOneStageAndRunsInAnotherAsANonRootUserWithDataAsAVolumeAndAHealthcheck()
    {
        var lines = Dockerfile();
        var stages = lines.Where(l => l.Instruction == "FROM").Select(l => l.Arguments).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[1]);

        var runtime = lines.SkipWhile(l => l.Arguments != stages[1]).ToList();
        var user = Assert.Single(runtime, l => l.Instruction == "USER").Arguments;
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        Assert.Contains("\"/app/data\"", Assert.Single(runtime, l => l.Instruction == "VOLUME").Arguments);
        Assert.Contains("/healthz", Assert.Single(runtime, l => l.Instruction == "HEALTHCHECK").Arguments);
        Assert.Contains("healthcheck", Assert.Single(runtime, l => l.Instruction == "HEALTHCHECK").Arguments);
        Assert.Equal("[\"dotnet\", \"IncidentBot.dll\"]", Assert.Single(runtime, l => l.Instruction == "ENTRYPOINT").Arguments);
        Assert.True(runtime.FindIndex(l => l.Instruction == "USER") > runtime.FindIndex(l => l.Instruction == "RUN"), "USER comes after the last RUN that needs root");
    }

    [Fact]
    public void EveryFileTheDockerfileCopiesExistsAndIsNotIgnored()
    {
        var ignored = File.ReadAllLines(Path.Combine(Repo.Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Trim('*', '/')).ToList();
        var sources = Dockerfile().Where(l => l.Instruction == "COPY" && !l.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.Contains("appsettings.json", sources);
        Assert.Contains("manifests/runbooks/", sources);
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(Repo.Root, s)) || Directory.Exists(Path.Combine(Repo.Root, s)), $"{s} is not in the repository"));
        Assert.All(sources, s => Assert.DoesNotContain(ignored, i => s.TrimEnd('/') == i || s.StartsWith(i + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public void ThePublishedProjectCarriesTheSettingsAndTheRunbooks()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "src", "IncidentBot", "IncidentBot.csproj"));

        Assert.Contains("Include=\"$(MSBuildThisFileDirectory)../../appsettings.json\" Link=\"appsettings.json\" CopyToPublishDirectory=\"PreserveNewest\"", project);
        Assert.Contains("Include=\"$(MSBuildThisFileDirectory)../../manifests/runbooks/*.yaml\" Link=\"manifests/runbooks/%(Filename)%(Extension)\" CopyToPublishDirectory=\"PreserveNewest\"", project);
    }

    [Fact]
    public void TheComposeFileRunsTheImageWithItsDataInAVolumeAndSettingsFromDotEnv()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Repo.Root, "compose.yaml"))));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var bot = (YamlMappingNode)((YamlMappingNode)root["services"])["incidentbot"];

        Assert.Equal(".", bot["build"].ToString());
        Assert.Equal(".env", bot["env_file"].ToString());
        Assert.Contains("incidentbot-data:/app/data", ((YamlSequenceNode)bot["volumes"]).Select(v => v.ToString()));
        Assert.Contains("8080:8080", ((YamlSequenceNode)bot["ports"]).Select(v => v.ToString()));
        Assert.True(((YamlMappingNode)root["volumes"]).Children.ContainsKey("incidentbot-data"));
    }

    [Fact]
    public void TheSystemdUnitRunsThePublishedBotUnprivilegedAndDoesNotRestartIntoAConfigurationMistake()
    {
        var unit = File.ReadAllLines(Path.Combine(Repo.Root, "manifests", "systemd", "incidentbot.service"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToLookup(kv => kv[0], kv => kv[1]);

        Assert.Equal("/usr/bin/dotnet /opt/incidentbot/IncidentBot.dll", Assert.Single(unit["ExecStart"]));
        Assert.Equal("incidentbot", Assert.Single(unit["User"]));
        Assert.Equal($"{StartupProblems.ExitCode}", Assert.Single(unit["RestartPreventExitStatus"]));
        Assert.Contains("Storage__Path=/var/lib/incidentbot/incidentbot.db", unit["Environment"]);
        Assert.Equal("incidentbot", Assert.Single(unit["StateDirectory"]));
    }

    [Fact]
    public async Task TheHealthcheckCommandExitsZeroOnlyWhenHealthzAnswers200()
    {
        // A stand-in /healthz on loopback: the command is what is tested here (ProcessTests covers the bot's own /healthz).
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        await app.StartAsync();
        var url = app.Urls.First();

        await using var up = BotProcess.Start(_folder, "healthcheck", url + "/healthz");
        await using var down = BotProcess.Start(_folder, "healthcheck", url + "/nothing-here");

        Assert.Equal(0, await up.WaitForExitAsync());
        Assert.Equal(1, await down.WaitForExitAsync());
    }

    public void Dispose() => _folder.Dispose();
}
