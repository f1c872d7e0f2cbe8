using IncidentBot.Drill;
using IncidentBot.Hosting;
using IncidentBot.Sandbox;
using IncidentBot.Shell;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Drill;

/// <summary>The shell host as Program.cs builds it for <c>shell --drill</c>, in process, on a fake clock.</summary>
public static class DrillHost
{
    public static IHost Build(TextReader input, TextWriter output, FakeTimeProvider time, TestFolder folder, Dictionary<string, string?>? settings = null, bool drillMode = true)
    {
        var args = DrillMode.TakeFlag(drillMode ? ["--drill"] : [], out var drill);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Repo.Root, Args = args, EnvironmentName = "Testing" });
        builder.AddIncidentBot(args, shell: true);
        builder.Configuration.AddInMemoryCollection(folder.Settings);
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddDrill(drill);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddShell(new ShellIO(input, output, EchoInput: true));
        var host = builder.Build().CheckStartup();

        // A slow answer on a fake clock moves the clock rather than waiting on it.
        if (host.Services.GetService<ClerkSandbox>() is { } sandbox)
        {
            sandbox.Wait = (span, _) =>
            {
                time.Advance(span);
                return Task.CompletedTask;
            };
        }

        return host;
    }

    /// <summary>Runs a script to its end, two minutes between lines, and returns what the terminal showed and the sandbox.</summary>
    public static async Task<(string Output, ClerkSandbox Sandbox)> RunAsync(
        FakeTimeProvider time, TestFolder folder, IEnumerable<string> lines, Dictionary<string, string?>? settings = null)
    {
        var output = new StringWriter();
        using var host = Build(new ScriptReader(time, lines.Select(l => (TimeSpan.FromMinutes(2), l))), output, time, folder, settings);
        var sandbox = host.Services.GetRequiredService<ClerkSandbox>();
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (output.ToString(), sandbox);
    }
}
