using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using Microsoft.Extensions.Hosting;

namespace IncidentBot.Core.Approvals;

/// <summary>At start-up, marks every action that was still running when the bot stopped as interrupted, and says so in its incident's room.</summary>
public sealed class InterruptedRuns(IncidentService incidents, ApprovalLedger ledger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var incident in incidents.List(openOnly: false).Where(i => i.Approvals.Any(a => a.State == ApprovalState.Running)))
        {
            var audit = incidents.Audit(incident.Id);
            await incidents.ChangeAsync(incident.Id, Actor.Bot, change =>
            {
                var running = change.Incident.Approvals.Where(a => a.State == ApprovalState.Running).ToList();
                running.ForEach(request => ledger.Interrupt(change, request, audit));
                return running.Count > 0 ? Incidents.Outcome.Done("interrupted") : Incidents.Outcome.Refused("nothing was running");
            }, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
