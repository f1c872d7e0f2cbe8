using IncidentBot.Core.Incidents;
using IncidentBot.Core.People;
using IncidentBot.Core.Runbooks;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Core.Approvals;

/// <summary>
/// At start-up: a check or action request that the bot started for a runbook step, but that the stop cut off before it
/// posted anything, is started again. Step automation is marked on the incident before it runs outside the lock, so
/// without this a step could wait forever for a check result or an approval card that never comes.
/// </summary>
public sealed class AutomationRecovery(IncidentService incidents) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var incident in incidents.List(openOnly: true))
        {
            var runbook = incidents.RunbookOf(incident);
            if (incident.CurrentStep(runbook) is not { } step || !incident.AutomatedSteps.Contains(step.Id) || Happened(incident, step))
            {
                continue;
            }

            // Forgetting that the step was automated lets StepAutomation start it again as part of this change.
            await incidents.ChangeAsync(incident.Id, Actor.Bot, change =>
            {
                change.Incident.AutomatedSteps.Remove(step.Id);
                var what = step.Kind == StepKind.Check ? $"check `{step.Check}`" : $"request for `{IncidentViews.Describe(step)}`";
                change.Record(Timeline.EntryKind.Action, $"The {what} for step {step.Title} was cut off by a restart; starting it again.");
                return Outcome.Done("resumed");
            }, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Whether the automation got as far as recording something for the step: a check's verdict, a request, or why it could not request.</summary>
    private static bool Happened(Incident incident, RunbookStep step) =>
        incident.StepRuns.Any(r => r.StepId == step.Id && (r.CheckVerdict is not null || r.Refusal is not null))
        || (step.Kind == StepKind.Action && incident.Approvals.Any(a => a.StepId == step.Id));
}
