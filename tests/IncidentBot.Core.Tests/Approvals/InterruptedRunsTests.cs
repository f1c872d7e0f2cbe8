using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Core.Tests.Approvals;

public sealed class InterruptedRunsTests : IDisposable
{
    private readonly CoreHarness _core = new();

    [Fact]
    public async Task AnActionStillRunningWhenTheBotStoppedIsMarkedInterruptedAtStartUp()
    {
        await _core.RunAsync("/incident declare security sev1 Stolen sessions");
        var incident = _core.Store.Find("INC-1")!;
        incident.Approvals.Add(new ApprovalRequest { Id = "A1", Action = "clerk.revoke-sessions", Title = "revoke sessions", State = ApprovalState.Running, RequestedBy = "alice" });
        incident.Approvals.Add(new ApprovalRequest { Id = "A2", Action = "clerk.ban", Title = "ban", State = ApprovalState.Done, RequestedBy = "alice" });
        _core.Store.Commit(incident, []);

        await _core.Get<IEnumerable<IHostedService>>().OfType<InterruptedRuns>().Single().StartAsync(CancellationToken.None);

        var approvals = _core.Store.Find("INC-1")!.Approvals;
        Assert.Equal([ApprovalState.Interrupted, ApprovalState.Done], approvals.Select(a => a.State).ToArray());
        var audit = Assert.Single(_core.Store.Audit("INC-1"), a => a.Event == "interrupted");
        Assert.Equal(("A1", "clerk.revoke-sessions"), (audit.ApprovalId, audit.Action));
        var post = _core.Surface.Posts.Last();
        Assert.Equal(MessageKind.Warning, post.Kind);
        Assert.StartsWith("A1 (revoke sessions) was interrupted: the bot stopped while it ran.", post.Text);
        Assert.Contains(_core.Store.Timeline("INC-1"), e => e.Text.StartsWith("A1 (revoke sessions) was interrupted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingIsTouchedWhenNothingWasRunning()
    {
        await _core.RunAsync("/incident declare security sev1 Stolen sessions");
        var publications = _core.Surface.Publications.Count;

        await _core.Get<IEnumerable<IHostedService>>().OfType<InterruptedRuns>().Single().StartAsync(CancellationToken.None);

        Assert.Equal(publications, _core.Surface.Publications.Count);
        Assert.DoesNotContain(_core.Store.Audit("INC-1"), a => a.Event == "interrupted");
    }

    public void Dispose() => _core.Dispose();
}
