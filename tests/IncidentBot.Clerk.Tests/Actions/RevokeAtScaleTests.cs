using System.Diagnostics;
using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Approvals;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IncidentBot.Clerk.Tests.Actions;

public sealed class RevokeAtScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RevokingAThousandUsersSessionsStaysUnderTheRateLimitAndRevokesEverySession()
    {
        await using var h = await Harness.StartAsync();
        h.Step = TimeSpan.FromSeconds(1);
        h.Sandbox.RateLimit = 100;
        h.Sandbox.RateWindow = TimeSpan.FromSeconds(10);
        var ids = Enumerable.Range(0, 1000).Select(i => $"user_s{i:D4}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            h.Sandbox.AddUser(ids[i], [$"alt{i}@example.org", $"u{i}@example.org"], primary: 1, sessions: i % 100 == 0 ? 12 : 1 + (i % 3));
        }

        var sessions = h.Sandbox.ActiveSessions();
        await h.RunAsync("alice", "/incident declare security sev1 Mass session theft");
        await h.RunAsync("alice", "/incident ack");
        await h.RunAsync("alice", $"/incident affected {string.Join(' ', ids)}");
        var wall = Stopwatch.StartNew();
        var started = h.Time.GetUtcNow();

        await h.RunAsync("alice", "/incident revoke");
        var planned = h.Sandbox.Requests.Count;
        await h.PressAsync("bob", h.Chat.Button("A1", "Approve"));
        await h.PressAsync("carol", h.Chat.Button("A1", "Approve"));

        var request = h.Incident().FindApproval("A1")!;
        var clerkRequests = h.Sandbox.Requests.Count(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal));
        var fakeSeconds = (h.Time.GetUtcNow() - started).TotalSeconds;
        output.WriteLine($"{sessions} sessions of {ids.Count} users; {clerkRequests} Clerk requests ({planned} for the preview); " +
            $"{h.Sandbox.RateLimited} refused with 429; the limiter held a request back {h.Services.GetRequiredService<IncidentBot.Clerk.Http.ClerkRateLimiter>().Waited} times; " +
            $"{fakeSeconds:0} s on the fake clock; {wall.Elapsed.TotalSeconds:0.0} s of wall time");

        Assert.Equal(ApprovalState.Done, request.State);
        Assert.Equal(2, request.ApprovalsNeeded);
        Assert.Equal(1000, request.Results.Count(r => r.Succeeded));
        Assert.Equal(0, h.Sandbox.ActiveSessions());
        Assert.Equal(0, h.Sandbox.RateLimited);
        Assert.Empty(h.Sandbox.Violations);
        Assert.Contains("done for all 1000 targets", h.Chat.Text);
        // 90 a window (the default 90% headroom of 100 per 10 s) means at least this long on the clock.
        Assert.True(fakeSeconds >= (clerkRequests / 90 - 1) * 10, $"{clerkRequests} requests in {fakeSeconds} s");
    }
}
