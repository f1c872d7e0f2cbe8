using IncidentBot.Clerk.Api;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentBot.Clerk.Tests.Approvals;

public sealed class CrashAndStartupTests
{
    /// <summary>Stands in for the Clerk user actions: sends one Clerk call for the first target, then dies, as a process might.</summary>
    private sealed class ExplodingRunner(IClerkClient clerk, ClerkAudit audit) : IActionRunner
    {
        public RunnerKey Key => RunnerKey.ClerkUsers;

        public Task<ActionPlan> PlanAsync(ActionAsk ask, CancellationToken cancellationToken) =>
            Task.FromResult(new ActionPlan("explode", ask.Targets.Select(t => new PlannedTarget { Id = t, Note = "will be changed" }).ToList(), true, "explodes"));

        public async Task<IReadOnlyList<TargetResult>> RunAsync(ActionRun run, CancellationToken cancellationToken)
        {
            await audit.Recording(clerk, run.IncidentId, run.Action, run.ApprovalId).LockUserAsync(run.Targets[0].Id, cancellationToken);
            throw new InvalidOperationException("process died");
        }
    }

    [Fact]
    public async Task ARunThatDiesHalfwayLeavesWhatWasSentInTheAuditAndIsNotReportedDone()
    {
        await using var h = await Harness.StartAsync(extra: s => s.AddSingleton<IActionRunner, ExplodingRunner>());
        h.Sandbox.AddUser("user_a", ["a@example.org"]);
        h.Sandbox.AddUser("user_b", ["b@example.org"]);
        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        var approvals = h.Services.GetRequiredService<ApprovalService>();
        await h.DriveAsync(approvals.RequestAsync("INC-1", new Actor("alice"), null, "clerk.lock", ["user_a", "user_b"], new Dictionary<string, string>(), false, null, CancellationToken.None));

        var outcome = await h.DriveAsync(approvals.DecideAsync("INC-1", "A1", new Actor("bob"), null, true, null, CancellationToken.None));

        Assert.Equal(RunResult.Failed, Assert.IsType<ActionRan>(outcome).Result);
        var request = h.Incident().FindApproval("A1")!;
        Assert.Equal(ApprovalState.Failed, request.State);
        Assert.All(request.Results, r => Assert.Contains("the run stopped: process died", r.Detail));
        var audit = h.Incidents.Audit("INC-1").Select(a => $"{a.Event} {a.Detail}").ToList();
        var running = audit.FindIndex(a => a.StartsWith("running explode", StringComparison.Ordinal));
        var sent = audit.FindIndex(a => a.StartsWith("request POST /v1/users/user_a/lock -> 200", StringComparison.Ordinal));
        var result = audit.FindIndex(a => a.StartsWith("result ", StringComparison.Ordinal));
        Assert.True(running >= 0 && running < sent && sent < result, string.Join("\n", audit));
        Assert.True(h.Sandbox.User("user_a")!.Locked);
    }

    [Theory]
    [InlineData("Clerk:SecretKey", "pk_test_publishable", "Clerk:SecretKey does not start with sk_live_ or sk_test_")]
    [InlineData("Clerk:ApiUrl", "api.clerk.com", "Clerk:ApiUrl is not an absolute http(s) URL")]
    [InlineData("Clerk:WebhookSecret", "whsec_***", "Clerk:WebhookSecret is not a whsec_<base64> signing secret")]
    [InlineData("Hooks:pause-webhooks:Method", "FETCH", "Hooks:pause-webhooks:Method is 'FETCH'; use POST, PUT, PATCH, DELETE or GET")]
    [InlineData("Approvals:ExpiryMinutes", "0", "Approvals:ExpiryMinutes is 0; it must be at least 1")]
    [InlineData("Clerk:RateLimit:Headroom", "1.5", "Clerk:RateLimit:Headroom is 1.5; it must be above 0 and at most 1")]
    [InlineData("Clerk:StatusWatchEvery", "00:00:05", "Clerk:StatusWatchEvery is 00:00:05; it must be at least 00:00:15")]
    [InlineData("Clerk:Diagnose:Samples", "5", "Clerk:Diagnose:Samples is 5; it must be 20 to 200")]
    [InlineData("Clerk:Diagnose:WarmUp", "-1", "Clerk:Diagnose:WarmUp is -1; it must be 0 to 5")]
    public async Task AMistakeInTheSettingsStopsStartUpWithOneLineNamingTheKey(string key, string value, string message)
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => Harness.StartAsync(s => s[key] = value));

        Assert.Contains(message, e.Message);
        if (key.Contains("Secret", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value, e.Message);
        }
    }
}
