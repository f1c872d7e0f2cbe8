using System.Net;
using System.Text.RegularExpressions;
using IncidentBot.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace IncidentBot.Tests.Drill;

/// <summary>
/// samples/drill-*.txt through <c>shell --drill</c>: every check and action of the runbook runs against the sandbox
/// with a real outcome (never "unknown" or "not configured", except the sync.* steps, which need a PostgreSQL database
/// the drill doesn't have), the shell ends cleanly and the report is written.
/// </summary>
public sealed partial class DrillSampleTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public static TheoryData<string, string, string[], string[]> Samples => new()
    {
        { "drill-auth-outage.txt", "Auth outage response", ["clerk.status", "app.health", "clerk.config"], ["A1 hook emergency-bypass-on", "A2 hook emergency-bypass-off"] },
        { "drill-security.txt", "Security breach response", [], ["A1 ban", "A2 set password compromised"] },
        { "drill-performance.txt", "Performance degradation", ["clerk.diagnose", "clerk.status", "app.health"], [] },
        { "drill-webhook-failure.txt", "Data sync recovery", ["clerk.webhook-probe"], ["A1 hook pause-webhooks", "A2 hook resume-webhooks"] },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task EachDrillSampleWalksItsRunbookWithRealOutcomesAndWritesTheReport(string sample, string runbook, string[] checks, string[] actions)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "samples", sample));

        // Two minutes a line: Clerk's outage lasts 30 of them, so the bypass is switched on while it is still down.
        var (output, sandbox) = await DrillHost.RunAsync(time, _folder, lines, new() { ["Drill:OutageMinutes"] = "30" });

        Assert.DoesNotContain("Unknown command", output);

        // The one exception: data sync (sync.gap, sync.export, sync.resync) needs Sync:ConnectionString, a PostgreSQL
        // database the drill doesn't have, so those steps answer "not configured" and the sample skips them with a
        // reason. Every other check must have a real outcome.
        Assert.All(UnknownChecks().Matches(output), m => Assert.StartsWith("sync.", m.Groups[1].Value));
        var notConfigured = output.Split('\n').Where(l => l.Contains("not configured", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.All(notConfigured, l => Assert.Contains(SyncNotConfigured, l));
        if (notConfigured.Count > 0)
        {
            Assert.Equal("drill-webhook-failure.txt", sample);
        }

        Assert.DoesNotContain("is not available from the bot", output);
        Assert.DoesNotContain("That failed", output);
        Assert.Contains($"INC-1: all steps of {runbook} are finished.", output);
        foreach (var check in checks)
        {
            Assert.Matches($"== DRILL · INC-1 · Check {Regex.Escape(check)}: (ok|PROBLEM) ==", output);
        }

        foreach (var action in actions)
        {
            Assert.Contains($"== DRILL · INC-1 · {action}: done for all", output);
        }

        if (sample == "drill-webhook-failure.txt")
        {
            // Without PostgreSQL the sync steps can't run: the sample skips each with its reason, and says so.
            Assert.Contains("Check sync.gap: unknown ==", output);
            Assert.Contains("Step 4 skipped: Export current database state (bob: no Sync:ConnectionString", output);
            Assert.Contains("Step 5 skipped: Run resync script (bob: no Sync:ConnectionString", output);
            Assert.Contains("Step 6 skipped: Verify data integrity (bob: no Sync:ConnectionString", output);
        }

        var report = File.ReadAllText(Path.Combine(_folder.Reports, "INC-1.md"));
        Assert.StartsWith("# Incident Report: DRILL: ", report);
        Assert.Contains("> DRILL: a practice incident", report);

        // Nothing the drill sent left the machine: the sandbox saw every request, each from loopback.
        Assert.NotEmpty(sandbox.Requests);
        Assert.All(sandbox.Requests, r => Assert.True(IPAddress.IsLoopback(r.Peer!), $"{r.Method} {r.Path} came from {r.Peer}"));
        Assert.DoesNotContain("Drill mode refused", output);
    }

    [Fact]
    public async Task TheAuthOutageRecoversOnTheClockAndTheBypassReallySwitchesTheAppsHealth()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "samples", "drill-auth-outage.txt"));

        var (output, sandbox) = await DrillHost.RunAsync(time, _folder, lines, new() { ["Drill:OutageMinutes"] = "30" });

        var health = HealthResults().Matches(output).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["PROBLEM", "ok", "ok"], health); // down; through the bypass; Clerk recovered, so fine without it
        Assert.Contains("Check clerk.config: PROBLEM ==", output); // the key can't be checked while the Backend API answers 503
        Assert.Contains("Check clerk.status: PROBLEM ==", output); // step 1, during the outage
        Assert.Matches("Step 8 of 11: Monitor Clerk status ==[\\s\\S]*Check clerk.status: ok ==", output); // 10 minutes on, recovered
        Assert.False(sandbox.App.Bypass);
        Assert.Contains(sandbox.App.HookCalls, h => h is { Hook: "bypass-on", Valid: true });
    }

    [Fact]
    public async Task TheSecurityDrillBansTheSuspiciousAccountsEndingEverySessionAndMarksTheirPasswordsCompromised()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "samples", "drill-security.txt"));

        var (_, sandbox) = await DrillHost.RunAsync(time, _folder, lines);

        var victims = sandbox.Users.Where(u => sandbox.SessionsOf(u.Id, status: null).Any(s => s.Suspicious)).ToList();
        Assert.Equal(3, victims.Count);
        Assert.All(victims, u => Assert.True(u.Banned));
        Assert.All(victims, u => Assert.True(u.PasswordCompromised));
        Assert.All(victims, u => Assert.Empty(sandbox.SessionsOf(u.Id))); // a Clerk ban ends every session of the user
        Assert.All(victims, u => Assert.All(sandbox.SessionsOf(u.Id, status: null).Where(s => s.Suspicious), s => Assert.Equal("revoked", s.Status)));

        Assert.Equal(3, sandbox.Users.Count(u => u.PasswordCompromised)); // nobody else's password was touched
    }

    private const string SyncNotConfigured = "Data sync is not configured: set Sync:ConnectionString";

    [GeneratedRegex("Check ([a-z.-]+): unknown ==")]
    private static partial Regex UnknownChecks();

    [GeneratedRegex("Check app.health: (ok|PROBLEM) ==")]
    private static partial Regex HealthResults();

    public void Dispose() => _folder.Dispose();
}
