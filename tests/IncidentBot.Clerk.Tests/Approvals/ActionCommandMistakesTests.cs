using IncidentBot.Clerk.Tests.Support;
using IncidentBot.Core.Commands;

namespace IncidentBot.Clerk.Tests.Approvals;

/// <summary>The action commands name every mistake of a command line in one answer, before any request or Clerk call.</summary>
public sealed class ActionCommandMistakesTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        await _h.RunAsync("alice", "/incident declare security sev1 Stolen sessions");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/incident lock INC-x1 not-a-user", "2 problems with `/incident lock`:", "- 'INC-x1' is not an incident id", "- Not a Clerk user id (user_...) or an email: not-a-user.")]
    [InlineData("/incident ban INC-99 bob,nobody", "2 problems with `/incident ban`:", "- There is no incident INC-99.", "- Not a Clerk user id (user_...) or an email: bob, nobody.")]
    [InlineData("/incident hook INC-99", "2 problems with `/incident hook`:", "- There is no incident INC-99.", "- Name one hook.")]
    [InlineData("/incident check INC-x1 no-such-check", "2 problems with `/incident check`:", "- 'INC-x1' is not an incident id", "- 'no-such-check' is not a check.")]
    [InlineData("/incident approve INC-99", "2 problems with `/incident approve`:", "- There is no incident INC-99.", "- Name the request, e.g. A1.")]
    [InlineData("/incident deny INC-x1", "2 problems with `/incident deny`:", "- 'INC-x1' is not an incident id", "- Name the request, e.g. A1.")]
    public async Task AnActionCommandWithSeveralMistakesNamesThemAllAndNothingIsRequested(string line, params string[] expected)
    {
        var timeline = _h.Incidents.Timeline("INC-1").Count;
        var clerkCalls = _h.Sandbox.Requests.Count;

        var result = await _h.RunAsync("alice", line);

        Assert.IsType<Refused>(result.Reply.Outcome);
        foreach (var part in expected)
        {
            Assert.Contains(part, result.Reply.Message.Text);
        }

        Assert.Contains("Usage: `/incident ", result.Reply.Message.Text);
        Assert.Empty(_h.Incidents.Find("INC-1")!.Approvals);
        Assert.Equal(timeline, _h.Incidents.Timeline("INC-1").Count);
        Assert.Equal(clerkCalls, _h.Sandbox.Requests.Count);
    }
}
