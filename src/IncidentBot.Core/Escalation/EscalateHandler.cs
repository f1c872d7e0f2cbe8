using IncidentBot.Core.Commands;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Escalation;

/// <summary><c>/incident escalate</c>: page the next level now, without waiting for its time.</summary>
public sealed class EscalateHandler(IncidentService incidents) : ICommandHandler
{
    public CommandSpec Spec { get; } = new("escalate", "escalate [INC-n]", "Page the next escalation level now.");

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var outcome = await incidents.ChangeAsync(request.Incident, request.Actor, request.Context.Origin, change =>
        {
            var incident = change.Incident;
            if (!incident.IsOpen)
            {
                return Outcome.Refused($"{incident.Id} is {incident.State}: nobody is paged for it any more.");
            }

            return incident.Escalation is { } state
                ? EscalationChain.EscalateByHand(change, state)
                : Outcome.Refused($"{incident.Id} was declared without an escalation policy.");
        }, cancellationToken);

        return outcome.Succeeded ? Reply.Text(outcome.Message) with { PostedInRoom = true } : Reply.Refused(outcome.Message);
    }
}
