using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Shell;

/// <summary>The README's sample script (samples/auth-outage.txt) keeps working.</summary>
public sealed class SampleScriptTests : IDisposable
{
    private readonly TestFolder _folder = new();

    [Fact]
    public async Task TheSampleAuthOutageScriptWalksTheWholeRunbookAndWritesEverySectionOfTheReport()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "samples", "auth-outage.txt"));

        // Two minutes between lines, as if typed during a real incident.
        var output = await ShellHost.RunAsync(time, _folder, lines.Select(l => (TimeSpan.FromMinutes(2), l)));

        Assert.DoesNotContain("Unknown command", output);
        Assert.Contains("bot: INC-1: all steps of Auth outage response are finished.", output);
        var report = File.ReadAllText(Path.Combine(_folder.Reports, "INC-1.md"));
        foreach (var section in new[] { "## Summary", "## Timeline", "## Root Cause", "## Resolution", "## Prevention", "## Lessons Learned", "## Actions taken" })
        {
            Assert.Contains(section, report);
        }

        // Declared at 03:02 (first line), resolved on line 22 at 03:44.
        Assert.Contains("- **Duration:** 42 minutes\n", report);
        Assert.Contains("- [ ] alert on Clerk 5xx from the middleware", report);
        Assert.Contains("Runbook steps (Auth outage response, all 11 steps finished):", report);
    }

    public void Dispose() => _folder.Dispose();
}
