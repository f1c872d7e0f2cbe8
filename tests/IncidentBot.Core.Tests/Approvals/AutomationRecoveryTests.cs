using IncidentBot.Core.Approvals;
using IncidentBot.Core.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Core.Tests.Approvals;

public sealed class AutomationRecoveryTests : IDisposable
{
    private const string RequestWarning = "Step Revoke all sessions and lock out affected users (ban): the bot could not request";
    private readonly CoreHarness _core = new();

    [Fact]
    public async Task AStepWhoseAutomationWasCutOffByAStopIsStartedAgainAtStartUp()
    {
        await _core.RunAsync("/incident declare security sev1 Stolen sessions");
        await _core.RunAsync("/incident ack INC-1");
        // The bot stopped right after step 1 was done and step 2's request was marked, before the request was made.
        var incident = _core.Store.Find("INC-1")!;
        incident.CompleteStep(_core.Incidents.RunbookOf(incident), "alice", _core.Time.GetUtcNow());
        incident.AutomatedSteps.Add("ban-accounts");
        _core.Store.Commit(incident, []);

        await RecoverAsync();

        Assert.Single(_core.Surface.Posts, p => p.Text.StartsWith(RequestWarning, StringComparison.Ordinal));
        Assert.Contains(_core.Store.Timeline("INC-1"), e => e.Text == "The request for `clerk.ban` for step Revoke all sessions and lock out affected users (ban) was cut off by a restart; starting it again.");
        Assert.Contains("ban-accounts", _core.Store.Find("INC-1")!.AutomatedSteps);
    }

    [Fact]
    public async Task AutomationThatAlreadyLeftItsMarkIsNotStartedTwice()
    {
        await _core.RunAsync("/incident declare security sev1 Stolen sessions");
        await _core.RunAsync("/incident ack INC-1");
        await _core.RunAsync("/incident step INC-1 done");
        var entries = _core.Store.Timeline("INC-1").Count;

        await RecoverAsync();

        Assert.Single(_core.Surface.Posts, p => p.Text.StartsWith(RequestWarning, StringComparison.Ordinal));
        Assert.Equal(entries, _core.Store.Timeline("INC-1").Count);
    }

    private async Task RecoverAsync()
    {
        await _core.Get<IEnumerable<IHostedService>>().OfType<AutomationRecovery>().Single().StartAsync(CancellationToken.None);
        await _core.Get<BackgroundWork>().IdleAsync();
    }

    public void Dispose() => _core.Dispose();
}
