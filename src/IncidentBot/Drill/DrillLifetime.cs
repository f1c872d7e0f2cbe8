using IncidentBot.Sandbox;
using IncidentBot.Shell;

namespace IncidentBot.Drill;

/// <summary>Gives the sandbox the host's clock, says where it runs, and stops it with the host.</summary>
/// <remarks>The terminal is there only in the shell: asked for as a sequence, so the web host (without one) needs no lookup.</remarks>
public sealed class DrillLifetime(ClerkSandbox sandbox, TimeProvider time, IEnumerable<ShellTerminal> terminals, ILogger<DrillLifetime> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        sandbox.Time = time;
        var line = $"DRILL MODE: Clerk and the app are an embedded sandbox at {sandbox.BaseUrl} ({sandbox.Users.Count} users); nothing leaves 127.0.0.1. Start one with /incident drill <category> [sev].";
        if (terminals.FirstOrDefault() is { } terminal)
        {
            terminal.Say(line);
        }
        else
        {
            log.LogInformation("{DrillMode}", line);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await sandbox.DisposeAsync();
}
