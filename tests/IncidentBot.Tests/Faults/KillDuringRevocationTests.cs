using System.Text.RegularExpressions;
using IncidentBot.Sandbox;
using IncidentBot.Tests.Support;

namespace IncidentBot.Tests.Faults;

/// <summary>
/// Issue 13, fault test: the bot is killed (SIGKILL, the app process itself) in the middle of an approved revocation of
/// many users' sessions. After the restart the audit says exactly which targets were done, nothing runs again without a
/// new approval, and a new request finishes the rest without redoing what was done.
/// </summary>
public sealed class KillDuringRevocationTests : IDisposable
{
    private const int Targets = 12;
    private const int DoneBeforeKill = 5; // the sixth user's first revoke is held until the kill
    private readonly TestFolder _folder = new();

    private static string User(int i) => $"user_k{i:00}";

    [Fact]
    public async Task AKillMidRevocationLeavesTheDoneTargetsOnRecordAndANewRequestFinishesTheRest()
    {
        await using var sandbox = await ClerkSandbox.StartAsync(new SandboxOptions { Users = 0, RateLimit = null });
        for (var i = 0; i < Targets; i++)
        {
            sandbox.AddUser(User(i), [$"k{i:00}@example.org"], sessions: 2);
        }

        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = $"^/v1/sessions/sess_k{DoneBeforeKill:00}_[0-9]+/revoke$";
        sandbox.Fail("POST", gate, 500, "held", times: 1, hang: true);
        sandbox.Inspect = request =>
        {
            if (Regex.IsMatch(request.Path, gate))
            {
                held.TrySetResult();
            }

            return [];
        };
        var environment = new Dictionary<string, string>(_folder.Environment)
        {
            ["Clerk__ApiUrl"] = sandbox.ApiUrl,
            ["Clerk__SecretKey"] = sandbox.Options.SecretKey,
            ["Clerk__StatusUrl"] = sandbox.StatusUrl,
            ["Approvals__TwoApproversAbove"] = "100",
        };
        var everyone = string.Join(' ', Enumerable.Range(0, Targets).Select(User));

        await using (var first = AppProcess.Start(environment, "shell"))
        {
            // Not acknowledged: no runbook action step asks for anything by itself, so the only request is ours (A1).
            await first.SendAsync("/incident declare security sev1 Stolen sessions", $"/incident revoke INC-1 {everyone}");
            await first.WaitForAsync("Approval A1");
            await first.SendAsync("/as bob", "/incident approve INC-1 A1");
            await held.Task.WaitAsync(TimeSpan.FromSeconds(90));
            await first.KillHardAsync();
        }

        var revokedBeforeRestart = Revokes(sandbox, gate);
        sandbox.ClearFailures();
        Assert.All(Enumerable.Range(0, DoneBeforeKill), i => Assert.Empty(sandbox.SessionsOf(User(i))));
        Assert.All(Enumerable.Range(DoneBeforeKill, Targets - DoneBeforeKill), i => Assert.Equal(2, sandbox.SessionsOf(User(i)).Count));

        await using var second = AppProcess.Start(environment, "shell");
        await second.SendAsync("/incident audit INC-1", "/as carol", "/incident approve INC-1 A1");
        await second.WaitForAsync("can't be decided again");
        var revokesAfterRestartBeforeNewRequest = Revokes(sandbox, gate);
        await second.SendAsync("/as alice", $"/incident revoke INC-1 {everyone}");
        await second.WaitForAsync("Approval A2");
        await second.SendAsync("/as bob", "/incident approve INC-1 A2");
        var exit = await second.EndInputAndWaitAsync();
        var output = second.Output;

        Assert.Equal(0, exit);
        // The room is told, once, exactly which targets were done and that nothing runs again by itself.
        var done = string.Join(", ", Enumerable.Range(0, DoneBeforeKill).Select(User));
        Assert.Contains($"A1 (revoke sessions) was interrupted: the bot stopped while it ran. Done before it stopped: {DoneBeforeKill} of {Targets} targets ({done}); not done or not known: {Targets - DoneBeforeKill}.", output);
        // The audit has each done target's result, written as it finished (before the kill), and the interruption.
        for (var i = 0; i < DoneBeforeKill; i++)
        {
            Assert.Contains($"result clerk.revoke-sessions [A1]: {User(i)} <k{i:00}@example.org>: ok: revoked 2 active sessions", output);
        }

        Assert.DoesNotContain($"[A1]: {User(DoneBeforeKill)} <", output);
        Assert.Contains($"interrupted clerk.revoke-sessions [A1]: the bot stopped while the action ran; done: {done}; failed: none; not done or not known: {string.Join(", ", Enumerable.Range(DoneBeforeKill, Targets - DoneBeforeKill).Select(User))}", output);
        // Nothing ran again after the restart, and A1 can't be approved into running again.
        Assert.Equal(revokedBeforeRestart, revokesAfterRestartBeforeNewRequest);
        Assert.Contains("A1 (revoke sessions) is already interrupted by a restart: it can't be decided again.", output);
        // The new request skips the done ones and finishes the rest; no session was revoked twice.
        Assert.Contains($"{DoneBeforeKill} already done and left alone", output);
        Assert.Contains($"A2 revoke sessions: done for all {Targets - DoneBeforeKill} targets", output);
        Assert.Equal(0, sandbox.ActiveSessions());
        Assert.All(Enumerable.Range(0, DoneBeforeKill), i => Assert.Equal(2, sandbox.Count("POST", $"^/v1/sessions/sess_k{i:00}_[0-9]+/revoke$")));
    }

    /// <summary>Revoke requests sent, leaving out the one held at the gate (the sandbox logs it only once the kill cuts it off).</summary>
    private static int Revokes(ClerkSandbox sandbox, string gate) =>
        sandbox.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/revoke", StringComparison.Ordinal) && !Regex.IsMatch(r.Path, gate));

    public void Dispose() => _folder.Dispose();
}
