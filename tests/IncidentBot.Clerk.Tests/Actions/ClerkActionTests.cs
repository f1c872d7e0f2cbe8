using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Messaging;
using IncidentBot.Tests.Support;

namespace IncidentBot.Clerk.Tests.Actions;

public sealed class ClerkActionTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.IdleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task<CommandOutcome> RequestAndApproveAsync(string line, string id = "A1")
    {
        var requested = await _h.RunAsync("alice", line);
        if (_h.Incident().FindApproval(id) is null)
        {
            return new CommandOutcome(requested.Reply.Message, null);
        }

        var approved = await _h.PressAsync("bob", _h.Chat.Button(id, "Approve"));
        return new CommandOutcome(approved.Reply.Message, _h.Incident().FindApproval(id));
    }

    private sealed record CommandOutcome(ChatMessage Reply, ApprovalRequest? Request);

    [Fact]
    public async Task RevokingPagesThroughUsersWithMoreThanTenAndMoreThanFiveHundredSessions()
    {
        _h.Sandbox.AddUser("user_twelve", ["twelve@example.org"], sessions: 12);
        _h.Sandbox.AddUser("user_many", ["many@example.org"], sessions: 520);
        _h.Sandbox.AddUser("user_37", ["thirtyseven@example.org"], sessions: 37);

        var outcome = await RequestAndApproveAsync("/incident revoke user_twelve user_many thirtyseven@example.org");

        Assert.Equal(ApprovalState.Done, outcome.Request!.State);
        Assert.Equal(0, _h.Sandbox.ActiveSessions());
        Assert.Contains(outcome.Request.Results, r => r.Detail == "revoked 520 active sessions");
        Assert.Contains(outcome.Request.Results, r => r.Detail == "revoked 37 active sessions");
        Assert.Contains("done for all 3 targets", _h.Chat.Text);
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task BanningSixtyUsersUsesTheBulkEndpointFiftyAtATime()
    {
        var ids = Enumerable.Range(0, 60).Select(i => $"user_b{i}").ToList();
        foreach (var id in ids)
        {
            _h.Sandbox.AddUser(id, [$"{id}@example.org"], sessions: 1);
        }

        var outcome = await RequestAndApproveAsync($"/incident ban {string.Join(',', ids)}");
        await _h.PressAsync("carol", _h.Chat.Button("A1", "Approve"));

        Assert.Equal(ApprovalState.Done, _h.Incident().FindApproval("A1")!.State);
        Assert.Equal(2, _h.Sandbox.Count("POST", "^/v1/users/ban$"));
        Assert.All(ids, id => Assert.True(_h.Sandbox.User(id)!.Banned));
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task APartlyFailedRunSaysSoAndASecondRunFinishesOnlyWhatIsLeft()
    {
        _h.Sandbox.AddUser("user_ok", ["ok@example.org"]);
        _h.Sandbox.AddUser("user_flaky", ["flaky@example.org"]);
        _h.Sandbox.Fail("POST", "^/v1/users/user_flaky/lock$", 403, "feature_not_enabled", times: 1);

        var first = await RequestAndApproveAsync("/incident lock user_ok user_flaky");

        Assert.Equal(ApprovalState.PartlyDone, first.Request!.State);
        var result = _h.Chat.Posts.Last(p => p.Header!.Contains("A1 lock", StringComparison.Ordinal));
        Assert.Contains("NOT finished, 1 of 2 failed", result.Header);
        Assert.DoesNotContain("done", result.Header!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MessageKind.Warning, first.Reply.Kind);

        var second = await RequestAndApproveAsync("/incident lock user_ok user_flaky", "A2");

        Assert.Equal(ApprovalState.Done, second.Request!.State);
        Assert.True(second.Request.Targets.Single(t => t.Id == "user_ok").AlreadyDone);
        Assert.Equal(["user_flaky <flaky@example.org>"], second.Request.Results.Select(r => r.Target));
        Assert.Equal(1, _h.Sandbox.Count("POST", "^/v1/users/user_ok/lock$"));
    }

    [Fact]
    public async Task AUserTheBulkBanLeavesOutIsBannedOnItsOwnAndGetsItsOwnAnswer()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"], sessions: 2);
        _h.Sandbox.AddUser("user_gone", ["gone@example.org"], sessions: 1);
        await _h.RunAsync("alice", "/incident ban user_a user_gone");
        _h.Sandbox.RemoveUser("user_gone"); // deleted in Clerk between the preview and the approval

        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));

        var request = _h.Incident().FindApproval("A1")!;
        Assert.Equal(ApprovalState.PartlyDone, request.State);
        Assert.Contains(request.Results, r => r.Succeeded && r.Target.StartsWith("user_a", StringComparison.Ordinal) && r.Detail == "banned (Clerk revoked all their sessions)");
        Assert.Contains(request.Results, r => !r.Succeeded && r.Target.StartsWith("user_gone", StringComparison.Ordinal) && r.Detail.StartsWith("Clerk has no such object (404", StringComparison.Ordinal));
        Assert.Equal(1, _h.Sandbox.Count("POST", "^/v1/users/ban$"));
        Assert.Equal(1, _h.Sandbox.Count("POST", "^/v1/users/user_gone/ban$"));
        Assert.Empty(_h.Sandbox.SessionsOf("user_a"));
        Assert.Empty(_h.Sandbox.Violations);
    }

    [Fact]
    public async Task WhenClerkRefusesABulkBanAsAWholeEachUserIsBannedOnItsOwn()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"], sessions: 2);
        _h.Sandbox.AddUser("user_b", ["b@example.org"], sessions: 3);
        _h.Sandbox.Fail("POST", "^/v1/users/ban$", 400, "form_param_value_invalid", times: 1);

        var outcome = await RequestAndApproveAsync("/incident ban user_a user_b");

        Assert.Equal(ApprovalState.Done, outcome.Request!.State);
        Assert.Equal(1, _h.Sandbox.Count("POST", "^/v1/users/user_a/ban$"));
        Assert.Equal(1, _h.Sandbox.Count("POST", "^/v1/users/user_b/ban$"));
        Assert.True(_h.Sandbox.User("user_a")!.Banned && _h.Sandbox.User("user_b")!.Banned);
        Assert.Equal(0, _h.Sandbox.ActiveSessions());
        Assert.Empty(_h.Sandbox.Violations);
    }

    public static TheoryData<string, int, string, string, string> Faults => new()
    {
        // command, status, code, where, what the chat says
        { "/incident ban user_f", 402, "unsupported_subscription_plan_features", "^/v1/users/ban$", "this Clerk plan does not include it (402" },
        { "/incident lock user_f", 403, "feature_not_enabled", "^/v1/users/user_f/lock$", "Clerk does not allow it on this instance (403" },
        { "/incident compromised user_f", 422, "form_param_value_invalid", "^/v1/users/user_f/password/set_compromised$", "Clerk rejected the request as invalid (422" },
        { "/incident unlock user_f", 404, "resource_not_found", "^/v1/users/user_f/unlock$", "Clerk has no such object (404" },
        { "/incident lock user_f", 429, "too_many_requests", "^/v1/users/user_f/lock$", "Clerk is still rate limiting us (429)" },
        { "/incident lock user_f", 500, "internal_clerk_error", "^/v1/users/user_f/lock$", "Clerk failed (500 internal_clerk_error) and kept failing" },
        { "/incident lock user_f", 0, "", "^/v1/users/user_f/lock$", "Clerk could not be reached: no answer within 10 s" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task EachFaultGetsAClearAnswerAndACorrectAuditEntry(string command, int status, string code, string where, string says)
    {
        _h.Sandbox.AddUser("user_f", ["f@example.org"], sessions: 2, locked: command.Contains("unlock", StringComparison.Ordinal));
        var method = "POST";
        _h.Sandbox.Fail(method, where, status, code, retryAfter: status == 429 ? 200 : null, hang: status == 0);
        if (status == 0)
        {
            _h.Step = TimeSpan.FromSeconds(2);
        }

        var outcome = await RequestAndApproveAsync(command);

        Assert.Equal(ApprovalState.Failed, outcome.Request!.State);
        Assert.Contains(says, _h.Chat.Text);
        Assert.Contains("failed for all 1 target", _h.Chat.Text);
        var audit = _h.Incidents.Audit("INC-1");
        Assert.Contains(audit, a => a.Event == "result" && a.ApprovalId == "A1" && a.Detail.Contains("FAILED", StringComparison.Ordinal) && a.Detail.Contains(says, StringComparison.Ordinal));
        var sent = audit.Where(a => a.Event == "request" && a.ApprovalId == "A1").Select(a => a.Detail).ToList();
        Assert.NotEmpty(sent);
        Assert.All(sent, d => Assert.Matches(status == 0 ? "-> timed out" : $"-> {status} .*trace trace_", d));
        Assert.Contains(audit, a => a.Event == "finished" && a.Detail.StartsWith("run, and failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ABadSecretKeyIsNamedPlainlyAndAudited()
    {
        await using var h = await Harness.StartAsync(s => s["Clerk:SecretKey"] = "sk_test_wrong");
        h.Sandbox.AddUser("user_a", ["a@example.org"]);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");

        var reply = await h.RunAsync("alice", "/incident ban user_a");

        Assert.Contains("Clerk refused the secret key (401 clerk_key_invalid): check Clerk:SecretKey", reply.Reply.Message.Text);
        var audit = h.Incidents.Audit("INC-1");
        Assert.Contains(audit, a => a.Event == "request" && a.Detail.Contains("-> 401", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Event == "refused" && a.Action == "clerk.ban");
    }

    [Fact]
    public async Task AnUnknownUserIsRefusedBeforeAnythingIsRequested()
    {
        var reply = await _h.RunAsync("alice", "/incident ban user_ghost nobody@example.org");

        Assert.Contains("Clerk has no user user_ghost, nobody@example.org", reply.Reply.Message.Text);
        Assert.Empty(_h.Incident().Approvals);
    }

    [Fact]
    public async Task AUserDeletedBetweenApprovalAndRunFailsAloneWith404()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"]);
        _h.Sandbox.AddUser("user_gone", ["gone@example.org"]);
        await _h.RunAsync("alice", "/incident lock user_a user_gone");
        _h.Sandbox.RemoveUser("user_gone");

        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));

        var request = _h.Incident().FindApproval("A1")!;
        Assert.Equal(ApprovalState.PartlyDone, request.State);
        Assert.Contains("No user was found with id user_gone", request.Results.Single(r => !r.Succeeded).Detail);
    }

    [Fact]
    public async Task WithoutASecretKeyTheBotSaysClerkIsNotConfigured()
    {
        await using var h = await Harness.StartAsync(s => s["Clerk:SecretKey"] = "");
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");

        var ban = await h.RunAsync("alice", "/incident ban user_a");
        var check = await h.RunAsync("alice", "/incident check clerk.config");

        Assert.Contains("Clerk is not configured", ban.Reply.Message.Text);
        Assert.Contains("Clerk is not configured", h.Chat.Text);
        Assert.DoesNotContain(h.Sandbox.Requests, r => r.Path.StartsWith("/v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAuditCommandShowsWhoAskedWhoApprovedAndEveryClerkRequest()
    {
        _h.Sandbox.AddUser("user_a", ["a@example.org"], sessions: 2);
        await RequestAndApproveAsync("/incident revoke user_a");

        var audit = await _h.RunAsync("alice", "/incident audit");

        var text = audit.Reply.Message.Text;
        Assert.Contains("alice requested clerk.revoke-sessions [A1]", text);
        Assert.Contains("bob approved clerk.revoke-sessions [A1]", text);
        Assert.Contains("GET /v1/sessions?user_id=user_a&status=active&paginated=true&limit=500&offset=0 -> 200", text);
        Assert.Contains("POST /v1/sessions/sess_a_0/revoke -> 200", text);
        Assert.Contains("result clerk.revoke-sessions [A1]: user_a <a@example.org>: ok: revoked 2 active sessions", text);
    }

    [Fact]
    public async Task NoSecretEverReachesChatAuditTimelineOrLogs()
    {
        await DisposeAsync();
        _h = await Harness.StartAsync(logLevel: Microsoft.Extensions.Logging.LogLevel.Trace);
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        _h.Sandbox.AddUser("user_a", ["a@example.org"], sessions: 2);
        _h.Sandbox.Fail("POST", "^/v1/users/user_a/lock$", 401, "clerk_key_invalid", times: 1);
        await RequestAndApproveAsync("/incident lock user_a");
        await RequestAndApproveAsync("/incident hook emergency-bypass-on", "A2");
        await _h.RunAsync("alice", "/incident check clerk.config");
        await _h.RunAsync("alice", "/incident check clerk.webhook-probe");
        await _h.RunAsync("alice", "/incident check clerk.status");
        var audit = (await _h.RunAsync("alice", "/incident audit")).Reply.Message.Text;
        var timeline = (await _h.RunAsync("alice", "/incident timeline")).Reply.Message.Text;

        var everything = string.Join("\n", _h.Chat.Text, audit, timeline, _h.Logs.Text);
        Assert.DoesNotContain(TestSandbox.SecretKey, everything);
        Assert.DoesNotContain(_h.Sandbox.Options.WebhookSecret, everything);
        Assert.DoesNotContain(_h.Sandbox.Options.WebhookSecret["whsec_".Length..], everything);
        Assert.DoesNotContain("hook-test-secret", everything);
        Assert.Contains("Clerk:SecretKey: set (development key)", _h.Chat.Text);
    }
}
