using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// When a check step becomes current the bot runs the check and posts its result; when an action step does, it posts
/// the approval request. Both are slow, so this reactor only queues the work (under the lock, in the change);
/// <see cref="StepAutomationWorker"/> does it after the change is saved, outside the lock.
/// </summary>
public sealed class StepAutomation(BackgroundWork work) : IIncidentReactor
{
    /// <summary>Whether the bot runs the step's check or requests its action (it has a runner for it), or a person does it by hand.</summary>
    public static bool Runs(RunbookStep step) => step.Kind switch
    {
        StepKind.Check => Catalogue.Check(step.Check)?.Automated == true,
        StepKind.Action => Catalogue.Action(step.Action)?.Automated == true,
        _ => false,
    };

    public void AfterChange(IncidentChange change)
    {
        var incident = change.Incident;
        var step = incident.CurrentStep(change.Runbook);
        if (step is null || !incident.IsOpen || !Runs(step) || incident.AutomatedSteps.Contains(step.Id))
        {
            return;
        }

        // An action waits until someone has taken the incident on; a check can run straight away.
        if (step.Kind == StepKind.Action && incident.State == IncidentState.Declared)
        {
            return;
        }

        incident.AutomatedSteps.Add(step.Id);

        // Whoever moved the runbook onto the step asked for its action: they can't approve a destructive one themselves.
        work.Enqueue(new StepWork(incident.Id, step, change.Actor));
    }
}

/// <summary>A runbook step's check to run or action to request, on behalf of <paramref name="Requester"/>.</summary>
public sealed record StepWork(string IncidentId, RunbookStep Step, Actor Requester)
{
    public override string ToString() => $"{(Step.Kind == StepKind.Check ? $"check {Step.Check}" : $"request {Step.Action}")} for {IncidentId}";
}
