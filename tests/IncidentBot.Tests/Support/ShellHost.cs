using IncidentBot.Hosting;
using IncidentBot.Shell;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Support;

/// <summary>The real shell host, in process: the same AddIncidentBot as Program.cs, with a fake clock and in-memory terminal.</summary>
public static class ShellHost
{
    public static IHost Build(TextReader input, TextWriter output, FakeTimeProvider time, TestFolder folder, Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Repo.Root, Args = [], EnvironmentName = "Testing" });
        builder.AddIncidentBot([], shell: true);
        builder.Configuration.AddInMemoryCollection(folder.Settings);
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddShell(new ShellIO(input, output, EchoInput: true));
        return builder.Build().CheckStartup();
    }

    /// <summary>Runs a script to its end (the shell stops the host at end of input) and returns what the terminal showed.</summary>
    public static async Task<string> RunAsync(
        FakeTimeProvider time, TestFolder folder, IEnumerable<(TimeSpan After, string Line)> script, Dictionary<string, string?>? settings = null)
    {
        var output = new StringWriter();
        using var host = Build(new ScriptReader(time, script), output, time, folder, settings);
        await host.RunAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return output.ToString();
    }
}
