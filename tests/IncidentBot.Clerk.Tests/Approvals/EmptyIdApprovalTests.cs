using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.People;

namespace IncidentBot.Clerk.Tests.Approvals;

/// <summary>Issue 13, fail-open approval: a press without an id is nobody, even when a roster person's TeamsId is empty.</summary>
public sealed class EmptyIdApprovalTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        // carol (cto, an approver) has empty Slack and Teams ids: "" must not be her.
        _h = await Harness.StartAsync(s =>
        {
            s["Roster:People:2:SlackId"] = "";
            s["Roster:People:2:TeamsId"] = "";
        });
        _h.Sandbox.AddUser("user_a", ["victim@example.org"], sessions: 3);
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AnApprovalPressWithAnEmptyPlatformIdIsRefusedAndNothingRuns()
    {
        await _h.RunAsync("alice", "/incident ban user_a");

        var nobody = new CommandContext(new Actor("dave", ""), "slack", "C1");
        var result = await _h.DriveAsync(_h.Router.PressAsync(nobody, _h.Chat.Button("A1", "Approve").Action, CancellationToken.None));

        Assert.Contains("may not decide A1", result.Reply.Message.Text);
        Assert.Equal(ApprovalState.Pending, _h.Incident().FindApproval("A1")!.State);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
    }
}
