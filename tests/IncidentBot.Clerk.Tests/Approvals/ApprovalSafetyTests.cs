using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;

namespace IncidentBot.Clerk.Tests.Approvals;

/// <summary>The gate's edges: ended incidents, who a presser really is, protected people by any address, the bypass.</summary>
public sealed class ApprovalSafetyTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        _h.Sandbox.AddUser("user_a", ["victim@example.org"], sessions: 3);
        _h.Sandbox.AddUser("user_bob", ["bob.personal@example.net", "bob@example.com"], primary: 0, sessions: 1);
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task CancellingTheIncidentWithdrawsAWaitingRequestAndItsOldButtonCannotRunIt()
    {
        await _h.RunAsync("alice", "/incident ban user_a");
        var approve = _h.Chat.Button("A1", "Approve");

        await _h.RunAsync("alice", "/incident cancel false alarm: it was a pentest");
        var result = await _h.PressAsync("bob", approve);

        Assert.Equal(ApprovalState.Withdrawn, _h.Incident().FindApproval("A1")!.State);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
        Assert.DoesNotContain("running", _h.Incidents.Audit("INC-1").Select(a => a.Event));
        Assert.Contains(_h.Incidents.Audit("INC-1"), a => a.Event == "withdrawn" && a.ApprovalId == "A1");
        Assert.Contains("A1 (", _h.Chat.Text);
        Assert.Contains("was withdrawn", _h.Chat.Text);
        Assert.False(result.Reply.IsEmpty);
    }

    [Fact]
    public async Task ADisplayNameThatMatchesARosterPersonIsNotThatPerson()
    {
        await _h.RunAsync("alice", "/incident ban user_a");

        // A Slack user called "bob" who is not the roster's bob (no matching Slack id).
        var impostor = new CommandContext(new Actor("bob", "U0IMPOSTOR"), "slack", "C1");
        var result = await _h.DriveAsync(_h.Router.PressAsync(impostor, _h.Chat.Button("A1", "Approve").Action, CancellationToken.None));

        Assert.Contains("bob may not decide A1", result.Reply.Message.Text);
        Assert.Equal(ApprovalState.Pending, _h.Incident().FindApproval("A1")!.State);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
    }

    [Fact]
    public async Task AResponderIsProtectedByAnyOfTheirAddressesNotOnlyThePrimaryOne()
    {
        // The roster knows bob as bob@example.com; in Clerk that is his second address.
        var result = await _h.RunAsync("alice", "/incident lock user_bob");

        Assert.Contains("is a protected account", result.Reply.Message.Text);
        Assert.Empty(_h.Incident().Approvals);
    }

    [Fact]
    public async Task TheIncidentCannotBeResolvedWhileTheEmergencyBypassIsOn()
    {
        await _h.RunAsync("alice", "/incident hook emergency-bypass-on");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.NotNull(_h.Incident().Switch(SwitchOn.EmergencyBypass));

        var resolve = await _h.RunAsync("alice", "/incident resolve");
        var cancel = await _h.RunAsync("alice", "/incident cancel never mind");

        Assert.StartsWith("INC-1 still has the emergency bypass ON", resolve.Reply.Message.Text);
        Assert.Contains("then resolve it.", resolve.Reply.Message.Text);
        Assert.Contains("then cancel it.", cancel.Reply.Message.Text);
        Assert.Equal(IncidentState.Investigating, _h.Incident().State);

        await _h.RunAsync("alice", "/incident hook emergency-bypass-off");
        await _h.PressAsync("alice", _h.Chat.Button("A2", "Approve"));
        await _h.RunAsync("alice", "/incident resolve");

        Assert.Equal(IncidentState.Resolved, _h.Incident().State);
    }
}
