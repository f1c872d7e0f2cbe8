using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;
using IncidentBot.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Clerk.Tests.Approvals;

/// <summary>Switches a hook turns on (webhook pause, emergency bypass) are tracked on the incident until a hook turns them off.</summary>
public sealed class SwitchTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync(
            s =>
            {
                var hooks = s["Hooks:emergency-bypass-on:Url"]![..^SandboxApp.BypassOn.Length];
                s["Hooks:pause-webhooks:Url"] = hooks + SandboxApp.PauseWebhooks;
                s["Hooks:pause-webhooks:Secret"] = Harness.HookSecret;
                s["Hooks:pause-webhooks:Switch"] = "webhook-pause";
                s["Hooks:pause-webhooks:Turns"] = "on";
                s["Hooks:resume-webhooks:Url"] = hooks + SandboxApp.ResumeWebhooks;
                s["Hooks:resume-webhooks:Secret"] = Harness.HookSecret;
                s["Hooks:resume-webhooks:Switch"] = "webhook-pause";
                s["Hooks:resume-webhooks:Turns"] = "off";
                s["Hooks:resume-webhooks:Destructive"] = "false";
            },
            extra: s =>
            {
                // The real deadline scheduler, driven by hand on the fake clock.
                s.AddSingleton<DeadlineSignal>();
                s.AddSingleton<DeadlineScheduler>();
            });
        _h.Sandbox.AddUser("user_a", ["a@example.org"]);
        await _h.RunAsync("alice", "/incident declare webhook-failure sev2 Users missing in the app");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private Task<int> RunDeadlinesAsync() => _h.DriveAsync(_h.Services.GetRequiredService<DeadlineScheduler>().RunDueAsync(CancellationToken.None));

    private List<string> Reminders() =>
        _h.Chat.Posts.Select(p => p.Text).Where(t => t.Contains("webhook pause is ON", StringComparison.Ordinal) || t.Contains("webhook pause has been ON", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task PausedWebhooksBlockResolvingAndAreRemindedUntilResumed()
    {
        await _h.RunAsync("alice", "/incident hook pause-webhooks");
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        var on = _h.Incident().Switch("webhook-pause");
        Assert.NotNull(on);
        Assert.Contains(_h.Chat.LastCard!.Fields, f => f.Label == "WEBHOOK PAUSE" && f.Value.Contains("`/incident hook INC-1 resume-webhooks`", StringComparison.Ordinal));

        var resolve = await _h.RunAsync("alice", "/incident resolve");
        var close = await _h.RunAsync("alice", "/incident close");

        Assert.IsType<Refused>(resolve.Reply.Outcome);
        Assert.Equal(
            $"INC-1 still has the webhook pause ON (since {on.Since.UtcDateTime:HH:mm} UTC): turn it off first with an approved `/incident hook INC-1 resume-webhooks`, then resolve it.",
            resolve.Reply.Message.Text);
        Assert.IsType<Refused>(close.Reply.Outcome);
        Assert.Equal(IncidentState.Investigating, _h.Incident().State);

        // Reminders come from the deadline scheduler on the fake clock: every 10 minutes, louder after the 30-minute review.
        Assert.Equal(0, await RunDeadlinesAsync());
        Assert.Empty(Reminders());
        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromMinutes(10));
            await RunDeadlinesAsync();
        }

        var reminders = Reminders();
        Assert.Equal(3, reminders.Count);
        Assert.StartsWith("Reminder: webhook pause is ON (10 minutes so far)", reminders[0]);
        Assert.EndsWith("Turn it off with `/incident hook INC-1 resume-webhooks`.", reminders[0]);
        Assert.StartsWith("The webhook pause has been ON for 30 minutes and its review at", reminders[2]);

        await _h.RunAsync("alice", "/incident hook resume-webhooks");
        await _h.PressAsync("alice", _h.Chat.Button("A2", "Approve"));
        Assert.Null(_h.Incident().Switch("webhook-pause"));
        Assert.DoesNotContain(_h.Chat.LastCard!.Fields, f => f.Label == "WEBHOOK PAUSE");
        Assert.Equal([(SandboxApp.PauseWebhooks, true), (SandboxApp.ResumeWebhooks, true)], _h.Sandbox.App.HookCalls.Select(c => (c.Hook, c.Valid)));
        Assert.False(_h.Sandbox.App.WebhooksPaused); // the sandbox's app really paused and resumed its webhook processing

        var resolved = await _h.RunAsync("alice", "/incident resolve");

        Assert.IsType<Recorded>(resolved.Reply.Outcome);
        Assert.Equal(IncidentState.Resolved, _h.Incident().State);
        _h.Time.Advance(TimeSpan.FromMinutes(30));
        await RunDeadlinesAsync();
        Assert.Equal(3, Reminders().Count);
    }

    [Fact]
    public async Task TheEmergencyBypassCantBeTurnedOnOnceTheIncidentIsResolved()
    {
        await _h.RunAsync("alice", "/incident resolve");

        var on = await _h.RunAsync("alice", "/incident hook emergency-bypass-on");

        Assert.IsType<Refused>(on.Reply.Outcome);
        Assert.Equal("INC-1 is Resolved: the emergency bypass can't be turned on any more. Reopen it (`/incident reopen INC-1`) if it is really needed.", on.Reply.Message.Text);
        Assert.Empty(_h.Incident().Approvals);
        Assert.Empty(_h.Sandbox.App.HookCalls);

        // Turning a switch off is still fine (nothing is on here, but the request is not refused for the state).
        var off = await _h.RunAsync("alice", "/incident hook emergency-bypass-off");
        Assert.IsType<Recorded>(off.Reply.Outcome);
    }

    [Fact]
    public async Task ResolvingWithdrawsEveryRequestStillWaiting()
    {
        await _h.RunAsync("alice", "/incident lock user_a");
        Assert.Equal(ApprovalState.Pending, _h.Incident().FindApproval("A1")!.State);

        await _h.RunAsync("alice", "/incident resolve");
        var press = await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));

        Assert.Equal(ApprovalState.Withdrawn, _h.Incident().FindApproval("A1")!.State);
        Assert.Contains(_h.Chat.Posts, p => p.Text == "A1 (lock) was withdrawn: INC-1 is Resolved, so it will not run.");
        Assert.Equal(ApprovalState.Withdrawn, Assert.IsType<AlreadySettled>(press.Reply.Outcome).State);
        Assert.False(_h.Sandbox.User("user_a")!.Locked);
    }
}
