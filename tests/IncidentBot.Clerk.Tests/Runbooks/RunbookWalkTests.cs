using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Clerk.Tests.Runbooks;

/// <summary>The seed's two Clerk procedures, walked through the command router against the sandbox as responders would.</summary>
public sealed class RunbookWalkTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task DoneAsync(string person = "alice")
    {
        var reply = await _h.RunAsync(person, "/incident step done");
        Assert.NotEqual(MessageKind.Warning, reply.Reply.Message.Kind);
        await _h.IdleAsync();
    }

    [Fact]
    public async Task TheAuthOutageRunbookRunsItsChecksAndTheTimeBoxedBypass()
    {
        _h.Sandbox.StatusJson = """{"status":{"indicator":"critical","description":"Major System Outage"},"components":[{"name":"User and authentication","status":"major_outage"}]}""";

        await _h.RunAsync("alice", "/incident declare auth-outage sev1 Nobody can sign in");
        await _h.IdleAsync();
        Assert.Contains(_h.Chat.Posts, p => p.Header == "INC-1 · Check clerk.status: PROBLEM");
        Assert.Contains("Major System Outage", _h.Chat.Text);

        await _h.RunAsync("alice", "/incident ack");
        await DoneAsync(); // confirm-outage: app.health runs as it becomes current
        Assert.Contains(_h.Chat.Posts, p => p.Header == "INC-1 · Check app.health: ok");
        await DoneAsync(); // check-app-health
        await DoneAsync(); // check-app-logs
        Assert.Contains(_h.Chat.Posts, p => p.Header == "INC-1 · Check clerk.config: unknown" || p.Header == "INC-1 · Check clerk.config: PROBLEM");
        Assert.Contains("The secret key works: instance ins_2drillsandbox000000000000", _h.Chat.Text);
        Assert.DoesNotContain("publishable", _h.Chat.Text);
        await DoneAsync(); // verify-env

        await _h.RunAsync("alice", "/incident step choose clerk-outage");
        await _h.IdleAsync();
        var request = _h.Chat.Approval("A1");
        Assert.Contains("hook emergency-bypass-on", request.Header);
        Assert.Contains("turns the emergency bypass ON", request.Text);
        var selfApproval = await _h.PressAsync("alice", _h.Chat.Button("A1", "Approve"));
        Assert.Contains("can't approve it", selfApproval.Reply.Message.Text);
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.NotNull(_h.Incident().Switch(SwitchOn.EmergencyBypass));
        Assert.Contains(_h.Chat.LastCard!.Fields, f => f.Label == "EMERGENCY BYPASS");
        Assert.Single(_h.Sandbox.App.HookCalls, c => c.Hook == "bypass-on");

        await DoneAsync(); // enable-bypass
        _h.Sandbox.StatusJson = """{"status":{"indicator":"none","description":"All Systems Operational"}}""";
        await DoneAsync(); // notify-users: monitor-clerk runs clerk.status again as it becomes current
        Assert.Contains(_h.Chat.Posts, p => p.Header == "INC-1 · Check clerk.status: ok");
        await DoneAsync(); // monitor-clerk: the bypass-off request follows by itself

        var off = _h.Chat.Approval("A2");
        Assert.Contains("hook emergency-bypass-off", off.Header);
        await _h.PressAsync("bob", _h.Chat.Button("A2", "Approve"));
        Assert.Null(_h.Incident().Switch(SwitchOn.EmergencyBypass));
        Assert.Single(_h.Sandbox.App.HookCalls, c => c.Hook == "bypass-off");
        await DoneAsync(); // disable-bypass

        await DoneAsync(); // document-timeline
        await DoneAsync(); // post-mortem
        Assert.Contains("all steps of Auth outage response are finished", _h.Chat.Text);
        Assert.Empty(_h.Sandbox.Violations);
        var audit = _h.Incidents.Audit("INC-1");
        Assert.Contains(audit, a => a.Event == "request" && a.Action == "clerk.status" && a.Detail.StartsWith("GET /v1/jwks -> 200", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Event == "finished" && a.ApprovalId == "A1" && a.Detail.StartsWith("done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSecurityBreachRunbookBansTheAccountsAndMarksTheirPasswordsCompromisedOnApproval()
    {
        _h.Sandbox.AddUser("user_victim1", ["old1@example.org", "victim1@example.org"], primary: 1, sessions: 14);
        _h.Sandbox.AddUser("user_victim2", ["victim2@example.org"], sessions: 3);

        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.RunAsync("alice", "/incident affected user_victim1 victim2@example.org");
        await DoneAsync(); // identify-accounts: the ban request follows by itself

        var ban = _h.Chat.Approval("A1");
        Assert.Contains("ban for 2 users, ending 17 active sessions", ban.Text);
        Assert.Contains("user_victim1 <v***@example.org>: 14 active sessions", ban.Text); // the primary (old1@ is not), masked
        Assert.Contains("user_victim2 <v***@example.org>: 3 active sessions", ban.Text);
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.True(_h.Sandbox.User("user_victim1")!.Banned);
        Assert.True(_h.Sandbox.User("user_victim2")!.Banned);
        Assert.Equal(0, _h.Sandbox.ActiveSessions());
        await DoneAsync(); // ban-accounts: the password request follows

        var compromised = _h.Chat.Approval("A2");
        Assert.Contains("set password compromised", compromised.Header);
        await _h.PressAsync("carol", _h.Chat.Button("A2", "Approve"));
        Assert.True(_h.Sandbox.User("user_victim1")!.PasswordCompromised);
        Assert.True(_h.Sandbox.User("user_victim2")!.PasswordCompromised);
        await DoneAsync(); // mark-passwords-compromised

        for (var i = 0; i < 5; i++)
        {
            await DoneAsync();
        }

        Assert.Contains("all steps of Security breach response are finished", _h.Chat.Text);
        Assert.All(_h.Incident().Approvals, a => Assert.Equal(ApprovalState.Done, a.State));
        Assert.False(_h.Sandbox.User("user_victim1")!.Locked);
        Assert.Equal(0, _h.Sandbox.Count("POST", "/lock$"));
        Assert.Empty(_h.Sandbox.Violations);
        var audit = (await _h.RunAsync("alice", "/incident audit")).Reply.Message.Text;
        Assert.Contains("alice requested clerk.ban [A1]", audit);
        Assert.Contains("POST /v1/users/ban -> 200", audit);
        Assert.Contains("carol approved clerk.set-password-compromised [A2]", audit);
        Assert.Contains("POST /v1/users/user_victim2/password/set_compromised -> 200", audit);
    }
}
