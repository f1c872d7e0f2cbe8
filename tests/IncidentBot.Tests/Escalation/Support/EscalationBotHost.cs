using IncidentBot.Core;
using IncidentBot.Hosting;
using IncidentBot.Shell;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Escalation.Support;

/// <summary>
/// The real host as Program.cs builds it (repository appsettings.json, runbooks, LiteDB file), with a fake clock,
/// its data in a temporary folder, and optionally the shell on in-memory streams or a recording chat surface.
/// </summary>
public static class EscalationBotHost
{
    public static IHost Build(
        string dataDir, TimeProvider time, IDictionary<string, string?>? settings = null, ShellIO? shell = null, IChatSurface? surface = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = RepositoryRoot() });
        builder.AddIncidentBot([], shell: shell is not null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(dataDir, "incidentbot.db"),
            ["Reports:Path"] = Path.Combine(dataDir, "reports"),
            ["Serilog:WriteTo:0:Args:path"] = Path.Combine(dataDir, "logs", "incidentbot-.log"),
            ["Clerk:StatusUrl"] = IncidentBot.Tests.Support.Offline.StatusUrl,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(time);
        if (shell is not null)
        {
            builder.Services.AddShell(shell);
        }

        if (surface is not null)
        {
            builder.Services.AddSingleton(surface);
        }

        return builder.Build().CheckStartup();
    }

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    /// <summary>Turns both reminders off, for tests about pages alone.</summary>
    public static Dictionary<string, string?> NoReminders() => new()
    {
        ["Escalation:StatusUpdateEvery"] = "00:00:00",
        ["Escalation:CommanderReminderEvery"] = "00:00:00",
        ["Escalation:Severities:Sev1:StatusUpdateEvery"] = "00:00:00",
        ["Escalation:Severities:Sev2:StatusUpdateEvery"] = "00:00:00",
        ["Escalation:Severities:Sev3:StatusUpdateEvery"] = "00:00:00",
    };

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "incidentbot-escalation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("IncidentBot.sln not found above the test output folder");
    }
}
