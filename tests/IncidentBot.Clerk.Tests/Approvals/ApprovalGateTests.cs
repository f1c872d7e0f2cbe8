using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk.Tests.Approvals;

public sealed class ApprovalGateTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        _h.Sandbox.AddUser("user_a", ["second@example.org", "victim@example.org"], primary: 1, sessions: 3);
        _h.Sandbox.AddUser("user_b", ["b@example.org"], sessions: 1, banned: true);
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task TheRequestPreviewsUsersByIdAndPrimaryEmailWithSessionsAndBans()
    {
        await _h.RunAsync("alice", "/incident ban user_a b@example.org");

        var card = _h.Chat.Approval("A1");
        // The test chat is not a private room: the primary address shows masked.
        Assert.Contains("user_a <v***@example.org>: 3 active sessions", card.Text);
        Assert.Contains("user_b <b***@example.org>", card.Text);
        Assert.Contains("already banned (nothing to do)", card.Text);
        var approve = card.Buttons.Single(b => b.Label == "Approve");
        Assert.Equal(ButtonStyle.Danger, approve.Style);
        Assert.NotNull(approve.Confirm);
        Assert.Equal("approval:A1", approve.Action.Guard);
        Assert.Contains("requested", _h.Incidents.Audit("INC-1").Select(a => a.Event));
    }

    [Fact]
    public async Task TheRequesterCannotApproveADestructiveAction()
    {
        await _h.RunAsync("alice", "/incident ban user_a");

        var result = await _h.PressAsync("alice", _h.Chat.Button("A1", "Approve"));

        Assert.Contains("can't approve it", result.Reply.Message.Text);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
        Assert.Equal(ApprovalState.Pending, _h.Incident().FindApproval("A1")!.State);
    }

    [Fact]
    public async Task TheRequesterMayApproveANonDestructiveAction()
    {
        await _h.RunAsync("alice", "/incident unban user_b");

        await _h.PressAsync("alice", _h.Chat.Button("A1", "Approve"));

        Assert.False(_h.Sandbox.User("user_b")!.Banned);
        Assert.Equal(ApprovalState.Done, _h.Incident().FindApproval("A1")!.State);
    }

    [Fact]
    public async Task SomeoneWithoutAnApproverRoleIsRefused()
    {
        await _h.RunAsync("alice", "/incident ban user_a");

        var result = await _h.PressAsync("dave", _h.Chat.Button("A1", "Approve"));

        Assert.Contains("dave may not decide A1", result.Reply.Message.Text);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
        Assert.Contains(_h.Incidents.Audit("INC-1"), a => a.Event == "refused" && a.Actor == "dave");
    }

    [Fact]
    public async Task AnExpiredRequestCannotRun()
    {
        await _h.RunAsync("alice", "/incident ban user_a");
        _h.Time.Advance(TimeSpan.FromMinutes(16));

        var result = await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));

        Assert.Contains("expired", result.Reply.Message.Text);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
        Assert.Equal(ApprovalState.Expired, _h.Incident().FindApproval("A1")!.State);
        Assert.Equal(0, _h.Sandbox.Count("POST", "/ban$"));
    }

    [Fact]
    public async Task TheExpiryDeadlineExpiresAnUndecidedRequest()
    {
        await _h.RunAsync("alice", "/incident ban user_a");
        var expiry = _h.Services.GetServices<IncidentBot.Core.Service.IDeadlineHandler>().OfType<ApprovalExpiry>().Single();
        Assert.Equal(_h.Incident().FindApproval("A1")!.RequestedAt.AddMinutes(15), expiry.NextDue(_h.Incident()));
        _h.Time.Advance(TimeSpan.FromMinutes(15));

        await _h.Incidents.ChangeAsync("INC-1", IncidentBot.Core.People.Actor.Bot, change =>
        {
            expiry.OnDue(change);
            return IncidentBot.Core.Incidents.Outcome.Done("");
        }, CancellationToken.None);

        Assert.Equal(ApprovalState.Expired, _h.Incident().FindApproval("A1")!.State);
        Assert.Null(expiry.NextDue(_h.Incident()));
        Assert.Contains("expired unapproved", _h.Chat.Text);
    }

    [Fact]
    public async Task ADeniedRequestCannotRun()
    {
        await _h.RunAsync("alice", "/incident ban user_a");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Deny"));

        var result = await _h.PressAsync("carol", _h.Chat.Button("A1", "Approve"));

        Assert.Contains("already denied", result.Reply.Message.Text);
        Assert.False(_h.Sandbox.User("user_a")!.Banned);
        Assert.Contains(_h.Incidents.Audit("INC-1"), a => a.Event == "denied" && a.Actor == "bob");
    }

    [Fact]
    public async Task TwentyConcurrentApprovePressesRunTheActionOnce()
    {
        await _h.RunAsync("alice", "/incident revoke user_a");
        var approve = _h.Chat.Button("A1", "Approve");

        var presses = Enumerable.Range(0, 20).Select(i => _h.PressAsync(i % 2 == 0 ? "bob" : "carol", approve)).ToList();
        var results = await Task.WhenAll(presses);

        Assert.Equal(3, _h.Sandbox.Count("POST", "^/v1/sessions/.*/revoke$"));
        Assert.Equal(2, _h.Sandbox.Count("GET", "^/v1/sessions$")); // one count for the preview, one listing for the run
        Assert.Equal(ApprovalState.Done, _h.Incident().FindApproval("A1")!.State);
        Assert.Single(_h.Incidents.Audit("INC-1"), a => a.Event == "running");
        Assert.Equal(19, results.Count(r => r.Reply.Message.Kind == MessageKind.Warning));
        Assert.Empty(_h.Sandbox.SessionsOf("user_a"));
    }

    [Fact]
    public async Task ALargeBlastRadiusNeedsTwoApprovers()
    {
        var ids = Enumerable.Range(0, 11).Select(i => $"user_many{i}").ToList();
        foreach (var id in ids)
        {
            _h.Sandbox.AddUser(id, [$"{id}@example.org"]);
        }

        await _h.RunAsync("alice", $"/incident lock {string.Join(' ', ids)}");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.Equal(ApprovalState.Pending, _h.Incident().FindApproval("A1")!.State);
        var again = await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.Contains("already approved", again.Reply.Message.Text);

        await _h.PressAsync("carol", _h.Chat.Button("A1", "Approve"));

        Assert.Equal(ApprovalState.Done, _h.Incident().FindApproval("A1")!.State);
        Assert.All(ids, id => Assert.True(_h.Sandbox.User(id)!.Locked));
    }

    [Fact]
    public async Task ProtectedAccountsAreRefusedUnlessTheRequestSaysSo()
    {
        _h.Sandbox.AddUser("user_alice", ["alice@example.com"], sessions: 1);

        var refused = await _h.RunAsync("alice", "/incident revoke user_alice");
        Assert.Contains("protected account", refused.Reply.Message.Text);
        Assert.Empty(_h.Incident().Approvals);

        await _h.RunAsync("alice", "/incident revoke user_alice --include-protected");
        Assert.True(_h.Incident().FindApproval("A1")!.IncludeProtected);
    }

    [Fact]
    public async Task TheEmergencyBypassIsTimeBoxedAndRemindedUntilTurnedOff()
    {
        await _h.RunAsync("alice", "/incident hook emergency-bypass-on");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));

        var incident = _h.Incident();
        Assert.NotNull(incident.Switch(SwitchOn.EmergencyBypass));
        Assert.Contains(_h.Chat.LastCard!.Fields, f => f.Label == "EMERGENCY BYPASS");
        var hook = Assert.Single(_h.Sandbox.App.HookCalls);
        Assert.StartsWith("t=", hook.Signature);
        var t = long.Parse(hook.Signature![2..hook.Signature!.IndexOf(',')]);
        Assert.Equal(IncidentBot.Clerk.Actions.HookActions.Sign("hook-test-secret", DateTimeOffset.FromUnixTimeSeconds(t), hook.Body), hook.Signature);

        var reminder = _h.Services.GetServices<IncidentBot.Core.Service.IDeadlineHandler>().OfType<SwitchReminder>().Single();
        Assert.Equal(incident.Switch(SwitchOn.EmergencyBypass)!.Since.AddMinutes(10), reminder.NextDue(incident));
        Assert.Equal(incident.Switch(SwitchOn.EmergencyBypass)!.Since.AddMinutes(30), incident.Switch(SwitchOn.EmergencyBypass)!.ReviewBy);
        foreach (var minutes in new[] { 10, 10, 10 })
        {
            _h.Time.Advance(TimeSpan.FromMinutes(minutes));
            await _h.Incidents.ChangeAsync("INC-1", IncidentBot.Core.People.Actor.Bot, change =>
            {
                reminder.OnDue(change);
                return IncidentBot.Core.Incidents.Outcome.Done("");
            }, CancellationToken.None);
        }

        Assert.Equal(2, _h.Chat.Posts.Count(p => p.Text.StartsWith("Reminder: emergency bypass is ON", StringComparison.Ordinal)));
        Assert.Contains(_h.Chat.Posts, p => p.Text.Contains("review at", StringComparison.Ordinal) && p.Text.Contains("is overdue", StringComparison.Ordinal));

        await _h.RunAsync("alice", "/incident hook emergency-bypass-off");
        await _h.PressAsync("alice", _h.Chat.Button("A2", "Approve"));

        Assert.Null(_h.Incident().Switch(SwitchOn.EmergencyBypass));
        Assert.Null(reminder.NextDue(_h.Incident()));
        Assert.DoesNotContain(_h.Chat.LastCard!.Fields, f => f.Label == "EMERGENCY BYPASS");
    }

    [Fact]
    public async Task ApproverRolesComeFromConfigurationPerAction()
    {
        await using var h = await Harness.StartAsync(s =>
        {
            s["Approvals:ApproverRoles:0"] = "engineering-lead";
            s["Approvals:ActionRoles:clerk.ban:0"] = "cto";
            s["Approvals:RequesterRoles:0"] = "on-call";
        });
        h.Sandbox.AddUser("user_a", ["a@example.org"]);
        h.Sandbox.AddUser("user_c", ["c@example.org"], locked: true);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await h.RunAsync("alice", "/incident ban user_a");
        await h.RunAsync("alice", "/incident unlock user_c");

        var bobOnBan = await h.PressAsync("bob", h.Chat.Button("A1", "Approve"));
        var aliceOnUnlock = await h.PressAsync("alice", h.Chat.Button("A2", "Approve"));
        await h.PressAsync("carol", h.Chat.Button("A1", "Approve"));
        await h.PressAsync("bob", h.Chat.Button("A2", "Approve"));

        Assert.Contains("needs someone with the role cto", bobOnBan.Reply.Message.Text);
        Assert.Contains("needs someone with the role engineering-lead", aliceOnUnlock.Reply.Message.Text);
        Assert.True(h.Sandbox.User("user_a")!.Banned);
        Assert.False(h.Sandbox.User("user_c")!.Locked);
    }
}
