using IncidentBot.Shell;
using IncidentBot.Tests.Escalation.Support;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Tests.Escalation;

public sealed class ShellEscalationTests : IDisposable
{
    private readonly string _data = EscalationBotHost.TempDir();

    [Fact]
    public async Task InTheShellPagesAppearWithoutInputAndAckStopsThem()
    {
        var time = EscalationBotHost.Clock();
        var keyboard = new ShellKeyboard();
        var screen = new ShellScreen();
        var settings = new Dictionary<string, string?>
        {
            ["Escalation:Levels:0:EscalateAfter"] = "00:00:05",
            ["Escalation:Levels:1:EscalateAfter"] = "00:00:05",
            ["Escalation:Levels:2:EscalateAfter"] = "00:00:05",
        };
        using var host = EscalationBotHost.Build(_data, time, settings, shell: new ShellIO(keyboard, screen, EchoInput: true));
        await host.StartAsync();

        keyboard.Type("/incident declare auth-outage sev2 Users cannot sign in");
        await screen.WaitForAsync("bot -> alice (direct message)");

        var mark = screen.Mark();
        time.Advance(TimeSpan.FromSeconds(5));
        await screen.WaitForAsync("bot -> bob (direct message)", mark);
        Assert.Contains("Paging level 2 of 3", screen.Text[mark..]);
        Assert.DoesNotContain("alice>", screen.Text[mark..]);

        keyboard.Type("/incident ack");
        await screen.WaitForAsync("Escalation stopped: acknowledged by alice 0 minutes 5 seconds after paging began (level 2 of 3 paged)");
        time.Advance(TimeSpan.FromMinutes(1));
        mark = screen.Mark();
        keyboard.Type("/incident timeline");
        await screen.WaitForAsync("timeline (", mark);
        keyboard.EndOfInput();
        await host.WaitForShutdownAsync();

        Assert.DoesNotContain("carol", screen.Text);
        Assert.Single(screen.Text.Split('\n'), l => l.Contains("Paging level 2 of 3", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The log file may still be held for a moment; the temp folder is cleaned up by the system.
        }
    }
}
