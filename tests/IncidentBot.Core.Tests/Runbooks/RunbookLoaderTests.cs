using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Runbooks;

public sealed class RunbookLoaderTests
{
    [Fact]
    public void TheShippedRunbooksCoverTheSeedsFourCategories()
    {
        var runbooks = Some.Runbooks();

        Assert.Equal(
            ["auth-outage", "performance", "security", "webhook-failure"],
            runbooks.Select(r => r.Category).Order().ToArray());
    }

    [Theory]
    [InlineData("auth-outage", new[]
    {
        "Confirm outage (check status.clerk.com)", "Check the app's health endpoint", "Check application logs for errors", "Verify environment variables",
        "Is this a Clerk outage or an application issue?",
        "Enable emergency bypass (if safe)", "Notify users via status page", "Monitor Clerk status", "Turn the emergency bypass off once Clerk has recovered",
        "Check recent deployments", "Rollback if necessary", "Check middleware configuration",
        "Document timeline and actions", "Conduct post-mortem",
    })]
    [InlineData("security", new[]
    {
        "Identify affected accounts", "Revoke all sessions and lock out affected users (ban)", "Mark their passwords compromised", "Reset API keys if exposed",
        "Enable additional verification", "Notify affected users", "Review access logs", "Document and report",
    })]
    [InlineData("webhook-failure", new[]
    {
        "Identify sync gap (check webhook logs)", "Find the failed deliveries (webhook dashboard, Message Attempts)", "Pause webhook processing",
        "Export current database state", "Run resync script", "Verify data integrity", "Resume webhook processing",
        "Replay the failed deliveries (Message Attempts)", "Monitor for new issues",
    })]
    public void EveryStepOfTheSeedProcedureIsInItsRunbook(string category, string[] seedSteps)
    {
        var runbook = Some.Runbooks().Single(r => r.Category == category);

        Assert.Equal(seedSteps, Runbook.Flatten(runbook.Steps).Select(s => s.Title).ToArray());
    }

    [Fact]
    public void ThePerformanceRunbookDiagnosesLatencyChecksClerkThenLooksAtTheApplication()
    {
        var steps = Some.Runbooks().Single(r => r.Category == "performance").Steps;

        Assert.Equal(("clerk.diagnose", "clerk.status"), (steps[0].Check, steps[1].Check));
        Assert.Contains(steps, s => s.Title == "Check middleware configuration");
    }

    [Theory]
    [InlineData("kind: manual\n  - id: a\n    kind: manual\n    title: B", "bad.yaml: step a: duplicate step id 'a'")]
    [InlineData("kind: magic", "bad.yaml: step a: unknown kind 'magic' (manual, check, action or choice)")]
    [InlineData("kind: check\n    check: clerk.nope", "bad.yaml: step a: unknown check 'clerk.nope'")]
    [InlineData("kind: action\n    action: clerk.delete-everyone", "bad.yaml: step a: unknown action 'clerk.delete-everyone'")]
    [InlineData("kind: choice", "bad.yaml: step a: a choice step needs at least one branch")]
    [InlineData("kind: action\n    action: hook", "bad.yaml: step a: a hook action needs 'with: { name: <hook> }'")]
    public void ABrokenStepStopsLoadingWithOneLineNamingTheFileAndStep(string stepBody, string expected)
    {
        var yaml = $"id: x\ncategory: x\ntitle: X\nsteps:\n  - id: a\n    title: A\n    {stepBody}\n";

        var error = Assert.Throws<RunbookException>(() => RunbookLoader.Parse("bad.yaml", yaml));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ADuplicateIdInsideABranchIsFound()
    {
        const string yaml = """
            id: x
            category: x
            title: X
            steps:
              - id: pick
                kind: choice
                title: Pick
                branches:
                  - id: left
                    label: Left
                    steps:
                      - id: pick
                        kind: manual
                        title: Again
            """;

        var error = Assert.Throws<RunbookException>(() => RunbookLoader.Parse("branchy.yaml", yaml));

        Assert.Equal("branchy.yaml: step pick: duplicate step id 'pick'", error.Message);
    }

    [Fact]
    public void InvalidYamlNamesTheFileAndLine()
    {
        var error = Assert.Throws<RunbookException>(() => RunbookLoader.Parse("broken.yaml", "id: x\nsteps: [\n"));

        Assert.StartsWith("broken.yaml: line ", error.Message);
    }

    [Fact]
    public void TwoRunbooksForOneCategoryAreRefused()
    {
        var folder = Directory.CreateTempSubdirectory("runbooks").FullName;
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "id: a\ncategory: same\ntitle: A\nsteps:\n  - id: s\n    kind: manual\n    title: S\n");
        File.WriteAllText(Path.Combine(folder, "b.yaml"), "id: b\ncategory: same\ntitle: B\nsteps:\n  - id: s\n    kind: manual\n    title: S\n");

        var error = Assert.Throws<RunbookException>(() => RunbookLoader.LoadDirectory(folder));

        Assert.Equal("b.yaml: category 'same' already has a runbook in a.yaml", error.Message);
    }
}
