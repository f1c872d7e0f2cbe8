using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk.Tests.Runbooks;

/// <summary>Step automation runs in a hosted service: stopping the host cancels what it is running, and start-up picks it up again.</summary>
public sealed class StepAutomationShutdownTests : IAsyncLifetime
{
    private const string Runbook = """
        id: shutdown-test
        category: shutdown-test
        title: Shutdown test
        steps:
          - id: verify-env
            kind: check
            check: clerk.config
            title: Verify the keys
        """;

    private readonly string _runbooks = Directory.CreateTempSubdirectory("incidentbot-shutdown-runbooks").FullName;
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_runbooks, "shutdown-test.yaml"), Runbook);
        _h = await Harness.StartAsync(s => s["Runbooks:Path"] = _runbooks);
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        Directory.Delete(_runbooks, recursive: true);
    }

    [Fact]
    public async Task StoppingTheHostCancelsARunningCheckAndLeavesItToBeStartedAgain()
    {
        // GET /v1/instance is held unanswered: the check is still running when the host stops.
        _h.Sandbox.Fail("GET", "^/v1/instance$", 500, "held", hang: true);
        await _h.RunAsync("alice", "/incident declare shutdown-test sev2 Keys look wrong");
        for (var i = 0; i < 20_000 && _h.Sandbox.Hung == 0; i++)
        {
            await Task.Delay(1);
        }

        Assert.Equal(1, _h.Sandbox.Hung);

        await _h.Services.GetRequiredService<StepAutomationWorker>().StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        await _h.Services.GetRequiredService<BackgroundWork>().IdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("stopped by shutdown", _h.Logs.Text);
        Assert.DoesNotContain(_h.Chat.Posts, p => p.Header?.Contains("Check clerk.config", StringComparison.Ordinal) == true);
        Assert.Contains("verify-env", _h.Incident().AutomatedSteps);
        Assert.Empty(_h.Incident().StepRuns);
    }
}
