using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly CoreHarness _core = new();

    [Fact]
    public async Task TheReportFollowsTheSeedTemplateWithRealDurations()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Users cannot sign in");
        await _core.RunAsync("/incident affected INC-1 user_1 user_2 user_3");
        _core.Time.Advance(TimeSpan.FromMinutes(3));
        await _core.RunAsync("/incident ack INC-1", who: "bob");
        _core.Time.Advance(TimeSpan.FromMinutes(20));
        await _core.RunAsync("/incident mitigate INC-1", who: "bob");
        _core.Time.Advance(TimeSpan.FromMinutes(10));
        await _core.RunAsync("/incident monitor INC-1", who: "bob");
        await _core.RunAsync("/incident note INC-1 root-cause: the production secret key was rotated without a deploy");
        await _core.RunAsync("/incident note INC-1 resolution: redeployed with the new key");
        await _core.RunAsync("/incident note INC-1 prevention: alert on Clerk 401s");
        await _core.RunAsync("/incident note INC-1 prevention: rotate keys through the deploy pipeline");
        await _core.RunAsync("/incident note INC-1 lesson: the status page was green while we were down");
        _core.Time.Advance(TimeSpan.FromMinutes(62));
        await _core.RunAsync("/incident resolve INC-1", who: "bob");

        var result = await _core.RunAsync("/incident report INC-1");

        var path = Path.Combine(_core.Get<Microsoft.Extensions.Options.IOptions<IncidentBot.Core.Reports.ReportOptions>>().Value.Path, "INC-1.md");
        var report = File.ReadAllText(path);
        Assert.Contains($"written to {path}", result.Reply.Message.Text);
        Assert.StartsWith("# Incident Report: Users cannot sign in\n", report);
        Assert.Contains("- **Date:** 2026-11-28\n", report);
        Assert.Contains("- **Duration:** 1 hour 35 minutes\n", report);
        Assert.Contains("- **Severity:** P1 (sev1)\n", report);
        Assert.Contains("- **Impact:** 3 affected users recorded\n", report);
        Assert.Contains("- **Time to acknowledge:** 3 minutes (by bob)\n", report);
        Assert.Contains("- 03:00 - Incident detected (declared by alice)\n- 03:03 - Initial response (acknowledged by bob)\n- 03:33 - Mitigation applied (bob)\n- 04:35 - Resolution confirmed (resolved by bob)\n", report);
        Assert.Contains("## Root Cause\nthe production secret key was rotated without a deploy\n", report);
        Assert.Contains("## Resolution\nredeployed with the new key\n", report);
        Assert.Contains("## Prevention\n- [ ] alert on Clerk 401s\n- [ ] rotate keys through the deploy pipeline\n", report);
        Assert.Contains("## Lessons Learned\nthe status page was green while we were down\n", report);
        Assert.Contains("UTC · bob · transition · INC-1 is Resolved (resolved by bob).", report);
        Assert.Equal(report, _core.Surface.Posts.Last().File!.Content);
    }

    [Fact]
    public async Task EmptySectionsSaySoRatherThanDisappear()
    {
        await _core.RunAsync("/incident declare performance sev3 Slow sign-in");

        await _core.RunAsync("/incident report INC-1");

        var report = _core.Surface.Posts.Last().File!.Content;
        foreach (var section in new[] { "## Summary", "## Timeline", "## Root Cause", "## Resolution", "## Prevention", "## Lessons Learned", "## Actions taken" })
        {
            Assert.Contains(section, report);
        }

        Assert.Contains("- **Duration:** ongoing (0 minutes so far)", report);
        Assert.Contains("- not recorded - Initial response", report);
        Assert.Contains("## Root Cause\nNothing recorded. Add it with `/incident note root-cause: ...`.", report);
        Assert.Contains("## Prevention\nNothing recorded.", report);
    }

    public void Dispose() => _core.Dispose();
}
