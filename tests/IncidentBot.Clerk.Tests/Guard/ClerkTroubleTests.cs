using IncidentBot.Core.Approvals;
using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;

namespace IncidentBot.Clerk.Tests.Guard;

/// <summary>
/// Issue 13, fault test: Clerk answering 500s, 429s and not answering at all, for minutes (on the fake clock), while an
/// approved revocation runs. The bot keeps serving another incident meanwhile, says per target what failed and why,
/// and loses nothing it recorded.
/// </summary>
public sealed class ClerkTroubleTests
{
    [Fact]
    public async Task MinutesOfClerk500s429sAndTimeoutsFailOnlyTheirTargetsSaySoAndAnotherIncidentIsServedMeanwhile()
    {
        await using var h = await GuardHarness.StartAsync();
        foreach (var who in new[] { "a", "b", "c", "d" })
        {
            h.Sandbox.AddUser($"user_{who}", [$"{who}@example.org"], sessions: 2);
        }

        await h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
        await h.RunAsync("alice", "/incident ack");
        await h.IdleAsync();
        await h.RunAsync("alice", "/incident revoke user_a user_b user_c user_d");
        var started = h.Time.GetUtcNow();

        // From the approval on, Clerk is in trouble: user_b's revokes answer 500, user_c's 429 with Retry-After: 30,
        // user_d's are never answered; user_a's go through.
        h.Sandbox.Fail("POST", "^/v1/sessions/sess_b_[0-9]+/revoke$", 500, "internal_clerk_error");
        h.Sandbox.Fail("POST", "^/v1/sessions/sess_c_[0-9]+/revoke$", 429, "too_many_requests", retryAfter: 30);
        h.Sandbox.Fail("POST", "^/v1/sessions/sess_d_[0-9]+/revoke$", 500, "never_answered", hang: true);
        var run = h.Router.PressAsync(new CommandContext(new Actor("bob", "bob"), "test", "room"), h.Chat.Button("A1", "Approve").Action, CancellationToken.None);

        // Meanwhile a second incident is declared (its on-call paged at once, sev1), escalated by hand (the lead paged) and acknowledged.
        var declared = await h.RunAsync("carol", "/incident declare auth-outage sev1 Users cannot sign in");
        var escalated = await h.RunAsync("carol", "/incident escalate INC-2");
        var acked = await h.RunAsync("bob", "/incident ack INC-2");

        Assert.False(run.IsCompleted, "the revocation should still be fighting Clerk while INC-2 is served");
        Assert.Equal("INC-2", declared.IncidentId);
        Assert.False(acked.Reply.Outcome is Refused, acked.Reply.Message.Text);
        Assert.False(escalated.Reply.Outcome is Refused, escalated.Reply.Message.Text);
        Assert.Equal(IncidentState.Investigating, h.Incident("INC-2").State);
        Assert.Contains(h.Chat.Directs, d => d.PersonName == "alice" && $"{d.Message.Header} {d.Message.Text}".Contains("INC-2", StringComparison.Ordinal));
        Assert.Contains(h.Chat.Directs, d => d.PersonName == "bob" && $"{d.Message.Header} {d.Message.Text}".Contains("INC-2", StringComparison.Ordinal));

        var outcome = await h.DriveAsync(run);

        Assert.True(h.Time.GetUtcNow() - started >= TimeSpan.FromMinutes(2), $"Clerk was in trouble for {h.Time.GetUtcNow() - started}");
        Assert.Equal(RunResult.Partly, Assert.IsType<ActionRan>(outcome.Reply.Outcome).Result);
        var request = h.Incident().FindApproval("A1")!;
        Assert.Equal(ApprovalState.PartlyDone, request.State);
        Assert.Equal(["user_a", "user_b", "user_c", "user_d"], request.Results.Select(r => r.Target.Split(' ')[0]));
        Assert.True(request.Results[0].Succeeded);
        Assert.All(request.Results.Skip(1), r => Assert.False(r.Succeeded));

        // Said in the room: not finished, and per target what failed.
        var said = h.Chat.Posts.Last(p => p.Header?.Contains("A1 revoke sessions", StringComparison.Ordinal) == true);
        Assert.Contains("NOT finished, 3 of 4 failed", said.Header);
        Assert.Contains("FAILED user_b", said.Text);
        Assert.Contains("500", request.Results[1].Detail);
        Assert.Contains("FAILED user_c", said.Text);
        Assert.Contains("429", request.Results[2].Detail);
        Assert.Contains("FAILED user_d", said.Text);
        Assert.Contains("Request it again to finish what is left", said.Text);
        Assert.Empty(h.Sandbox.SessionsOf("user_a"));

        // Nothing recorded is lost: both timelines and every target's audited result are there.
        var first = h.Incidents.Timeline("INC-1").Select(e => e.Text).ToList();
        Assert.Contains(first, t => t.Contains("requested A1", StringComparison.Ordinal));
        Assert.Contains(first, t => t.Contains("approved A1", StringComparison.Ordinal));
        Assert.Contains(first, t => t.Contains("NOT finished, 3 of 4 failed", StringComparison.Ordinal));
        var second = h.Incidents.Timeline("INC-2").Select(e => e.Kind).ToList();
        Assert.True(second.Count >= 3, string.Join(", ", second));
        Assert.Equal(4, h.Incidents.Audit("INC-1").Count(a => a.Event == "result" && a.ApprovalId == "A1"));
    }
}
