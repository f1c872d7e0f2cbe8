using IncidentBot.Core.Incidents;
using IncidentBot.Core.Tests.Support;
using IncidentBot.Tests.Support;

namespace IncidentBot.Core.Tests.Incidents;

public sealed class ProcedureWalkTests
{
    [Fact]
    public void TheAuthOutageWalkCountsItsStepsAndFollowsTheChosenBranch()
    {
        var runbook = Some.AuthOutage();
        var incident = Some.Incident(IncidentState.Investigating);

        Assert.Equal("step 1 of 11", incident.Progress(runbook));
        incident.CompleteStep(runbook, "alice", Some.Start);
        incident.CompleteStep(runbook, "alice", Some.Start);
        incident.SkipStep(runbook, "logs are down too", "alice", Some.Start);
        Assert.Equal("step 4 of 11", incident.Progress(runbook));
        incident.CompleteStep(runbook, "alice", Some.Start);

        var choice = incident.CurrentStep(runbook)!;
        Assert.Equal("outage-or-app", choice.Id);
        Assert.False(incident.CompleteStep(runbook, "alice", Some.Start).Succeeded);
        Assert.False(incident.Choose(runbook, "nonsense", "alice", Some.Start).Succeeded);

        Assert.True(incident.Choose(runbook, "app-issue", "alice", Some.Start).Succeeded);
        Assert.Equal("check-deployments", incident.CurrentStep(runbook)!.Id);
        Assert.Equal("step 6 of 10", incident.Progress(runbook));

        foreach (var _ in Enumerable.Range(0, 5))
        {
            Assert.True(incident.CompleteStep(runbook, "bob", Some.Start).Succeeded);
        }

        Assert.Null(incident.CurrentStep(runbook));
        Assert.Equal("all 10 steps finished", incident.Progress(runbook));
        Assert.False(incident.CompleteStep(runbook, "bob", Some.Start).Succeeded);
        Assert.Equal(
            ["confirm-outage", "check-app-health", "check-app-logs", "verify-env", "outage-or-app", "check-deployments", "rollback", "check-middleware", "document-timeline", "post-mortem"],
            incident.Steps.Select(s => s.StepId).ToArray());
        Assert.Equal("logs are down too", incident.Steps[2].Reason);
    }

    [Fact]
    public void ADeclaredIncidentMustBeAcknowledgedBeforeItsRunbookIsWorked()
    {
        var incident = Some.Incident();

        var outcome = incident.CompleteStep(Some.AuthOutage(), "alice", Some.Start);

        Assert.Equal("INC-7 is Declared: acknowledge it (`ack`) before working the runbook.", outcome.Message);
        Assert.Empty(incident.Steps);
    }

    [Fact]
    public void AStepButtonIsStaleOnceItsStepIsDone()
    {
        var runbook = Some.AuthOutage();
        var incident = Some.Incident(IncidentState.Investigating);
        Assert.Null(incident.StaleReason("step:confirm-outage", runbook));

        incident.CompleteStep(runbook, "alice", Some.Start);

        Assert.Equal(
            "This button is stale: that step was already done by alice at 03:00 UTC (it is at step 2 of 11: Check the app's health endpoint).",
            incident.StaleReason("step:confirm-outage", runbook));
        Assert.Equal("This button is stale: INC-7 is Investigating now, not Declared.", incident.StaleReason("state:Declared", runbook));
    }

    [Fact]
    public void StepsCanStillBeFinishedAfterResolvingButNotAfterClosing()
    {
        var runbook = Some.AuthOutage();
        var incident = Some.Incident(IncidentState.Resolved);
        Assert.True(incident.CompleteStep(runbook, "alice", Some.Start).Succeeded);

        incident.Close("alice", Some.Start);

        Assert.Equal("INC-7 is Closed: its runbook can no longer change.", incident.CompleteStep(runbook, "alice", Some.Start).Message);
    }
}
