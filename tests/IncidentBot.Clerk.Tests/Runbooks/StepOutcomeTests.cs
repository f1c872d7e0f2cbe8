using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;

namespace IncidentBot.Clerk.Tests.Runbooks;

/// <summary>An action step is done only when its action really ran: every other ending is refused, with the reason and the ways on.</summary>
public sealed class StepOutcomeTests : IAsyncLifetime
{
    // A small procedure of its own, so these tests don't move when the shipped runbooks change.
    private const string Runbook = """
        id: outcome-test
        category: outcome-test
        title: Outcome test
        steps:
          - id: identify
            kind: manual
            title: Identify affected accounts
          - id: lock-accounts
            kind: action
            action: clerk.lock
            title: Lock compromised accounts
          - id: confirm
            kind: check
            check: clerk.status
            title: Confirm Clerk is up
          - id: wrap-up
            kind: manual
            title: Wrap up
        """;

    private readonly string _runbooks = Directory.CreateTempSubdirectory("incidentbot-outcome-runbooks").FullName;
    private Harness _h = null!;

    private async Task StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        await File.WriteAllTextAsync(Path.Combine(_runbooks, "outcome-test.yaml"), Runbook);
        _h = await Harness.StartAsync(s =>
        {
            s["Runbooks:Path"] = _runbooks;
            configure?.Invoke(s);
        });
        _h.Sandbox.AddUser("user_a", ["a@example.org"]);
        await _h.RunAsync("alice", "/incident declare outcome-test sev1 Stolen sessions");
        await _h.RunAsync("alice", "/incident ack");
        await _h.RunAsync("alice", "/incident affected user_a");
        await _h.RunAsync("alice", "/incident step done"); // identify: the lock request follows by itself
        await _h.IdleAsync();
    }

    [Fact]
    public async Task StepDoneIsRefusedAfterADeniedRequest()
    {
        await StartAsync();
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Deny"));

        var done = await _h.RunAsync("alice", "/incident step done");

        Assert.IsType<Refused>(done.Reply.Outcome);
        Assert.Equal(
            "Step 2 (Lock compromised accounts) can't be marked done: A1 was denied by bob. Request it again with `/incident lock INC-1`, or skip the step with `/incident step INC-1 skip <reason>`.",
            done.Reply.Message.Text);
        Assert.Equal("lock-accounts", _h.Incident().CurrentStep(_h.Incidents.RunbookOf(_h.Incident()))!.Id);
    }

    [Fact]
    public async Task StepDoneIsRefusedAfterAnExpiredRequest()
    {
        await StartAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(16));
        var press = await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.Equal(ApprovalState.Expired, Assert.IsType<RequestEnded>(press.Reply.Outcome).State);

        var done = await _h.RunAsync("alice", "/incident step done");

        Assert.Equal(
            "Step 2 (Lock compromised accounts) can't be marked done: A1 expired unapproved. Request it again with `/incident lock INC-1`, or skip the step with `/incident step INC-1 skip <reason>`.",
            done.Reply.Message.Text);
    }

    [Fact]
    public async Task StepDoneIsRefusedAfterAFailedRunAndAcceptedOnceItRanOk()
    {
        await StartAsync();
        _h.Sandbox.Fail("POST", "^/v1/users/user_a/lock$", 403, "feature_not_enabled", times: 1);
        var press = await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        Assert.Equal(RunResult.Failed, Assert.IsType<ActionRan>(press.Reply.Outcome).Result);

        var done = await _h.RunAsync("alice", "/incident step done");

        Assert.Equal(
            "Step 2 (Lock compromised accounts) can't be marked done: A1 ran and failed for its target. Request it again with `/incident lock INC-1`, or skip the step with `/incident step INC-1 skip <reason>`.",
            done.Reply.Message.Text);

        // The way on: request it again by command; it counts for the step, and once it ran ok the step is done.
        await _h.RunAsync("alice", "/incident lock");
        await _h.PressAsync("bob", _h.Chat.Button("A2", "Approve"));
        var again = await _h.RunAsync("alice", "/incident step done");
        Assert.IsType<Recorded>(again.Reply.Outcome);
        var record = _h.Incident().Steps.Single(s => s.StepId == "lock-accounts");
        Assert.Equal("A2 ran ok", record.Result);
        Assert.Contains(_h.Incidents.Timeline("INC-1"), e => e.Text == "Step 2 done: Lock compromised accounts (alice). Outcome: A2 ran ok.");
    }

    [Fact]
    public async Task StepDoneIsRefusedAfterTheBotCouldNotRequestTheAction()
    {
        await StartAsync(s => s["Clerk:SecretKey"] = "");
        Assert.Empty(_h.Incident().Approvals);

        var done = await _h.RunAsync("alice", "/incident step done");

        Assert.Equal(
            "Step 2 (Lock compromised accounts) can't be marked done: the bot could not request it: Clerk is not configured (Clerk:SecretKey is empty), so the bot can't call the Backend API. Do it in the Clerk dashboard instead. Request it again with `/incident lock INC-1`, or skip the step with `/incident step INC-1 skip <reason>`.",
            done.Reply.Message.Text);
        var skip = await _h.RunAsync("alice", "/incident step skip locked by hand in the dashboard");
        Assert.IsType<Recorded>(skip.Reply.Outcome);
        Assert.StartsWith("the bot could not request it", _h.Incident().Steps.Single(s => s.StepId == "lock-accounts").Result);
    }

    [Fact]
    public async Task ACheckStepRecordsItsResultAndTheCardShowsEachStepsOutcome()
    {
        await StartAsync();
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));
        await _h.RunAsync("alice", "/incident step done");
        await _h.IdleAsync();

        var run = _h.Incident().StepRuns.Single(r => r.StepId == "confirm");
        Assert.NotNull(run.CheckVerdict);
        var outcomes = _h.Chat.LastCard!.Fields.Single(f => f.Label == "Step outcomes").Value;
        Assert.Contains("Lock compromised accounts: done; A1 ran ok", outcomes);
        Assert.Contains($"Confirm Clerk is up (now): check clerk.status: {run.CheckVerdict}", outcomes);

        await _h.RunAsync("alice", "/incident step done");
        Assert.StartsWith($"check clerk.status: {run.CheckVerdict}", _h.Incident().Steps.Single(s => s.StepId == "confirm").Result);
    }

    [Fact]
    public async Task TheReportHasAnActionsSectionWithEveryRequestAndHowItEnded()
    {
        await StartAsync();
        _h.Sandbox.AddUser("user_b", ["b@example.org"]);
        _h.Sandbox.AddUser("user_c", ["c@example.org"]);
        await _h.PressAsync("bob", _h.Chat.Button("A1", "Approve"));                  // ran ok
        await _h.RunAsync("alice", "/incident lock user_b");
        await _h.RunAsync("bob", "/incident deny A2 wrong account");                   // denied
        _h.Sandbox.Fail("POST", "^/v1/users/user_c/lock$", 403, "feature_not_enabled", times: 1);
        await _h.RunAsync("alice", "/incident lock user_c");
        await _h.PressAsync("carol", _h.Chat.Button("A3", "Approve"));                // failed

        await _h.RunAsync("alice", "/incident report");

        var report = _h.Chat.Posts.Last(p => p.Kind == MessageKind.Report).File!.Content;
        var actions = report[report.IndexOf("## Actions\n", StringComparison.Ordinal)..report.IndexOf("## Actions taken", StringComparison.Ordinal)];
        var lines = actions.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Matches(@"^- \*\*A1 lock\*\* \(step: Lock compromised accounts\): asked by alice at \d\d:\d\d; approved by bob at \d\d:\d\d; targets: user_a &lt;a@example.org&gt;; result: ran ok \(1 ok\); audit trace ids: .+$", lines[0]);
        Assert.Matches(@"^- \*\*A2 lock\*\* \(step: Lock compromised accounts\): asked by alice at \d\d:\d\d; denied by bob at \d\d:\d\d \(wrong account\); targets: user_b &lt;b@example.org&gt;; result: denied; audit trace ids: none$", lines[1]);
        Assert.Matches(@"^- \*\*A3 lock\*\* \(step: Lock compromised accounts\): asked by alice at \d\d:\d\d; approved by carol at \d\d:\d\d; targets: user_c &lt;c@example.org&gt;; result: ran and FAILED \(1 failed\); audit trace ids: \S+", lines[2]);
        var trace = _h.Incidents.Audit("INC-1").First(a => a.ApprovalId == "A3" && a.TraceId is not null).TraceId!;
        Assert.Contains(trace, lines[2]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        Directory.Delete(_runbooks, recursive: true);
    }
}
