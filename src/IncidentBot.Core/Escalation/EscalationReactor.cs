using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// Follows the incident's life cycle: starts the chain at declaration (with a copy of the policy), stops it on
/// acknowledgement, restarts it on reopen, stops it and the reminders when the incident is resolved or cancelled.
/// </summary>
public sealed class EscalationReactor(EscalationPolicies policies) : IIncidentReactor
{
    public void AfterChange(IncidentChange change)
    {
        var incident = change.Incident;
        if (change.Declaration)
        {
            incident.Escalation = new EscalationState { Policy = DrillMarking.Paging(incident, policies.For(incident.Severity)) };
            EscalationChain.Start(change, incident.Escalation, $"new {SeverityText.Format(incident.Severity)} incident declared by {incident.Declarer}");
            return;
        }

        if (incident.Escalation is not { } state)
        {
            return;
        }

        if (change.StateBefore == IncidentState.Declared && incident.State == IncidentState.Investigating)
        {
            if (EscalationChain.Acknowledge(state, change.Actor.Name, change.Now))
            {
                var stopped = EscalationChain.Stopped(state, change.Now);
                change.Record(EntryKind.Escalation, stopped);
                change.Post(ChatMessage.Plain($"{incident.Id}: {stopped}"));
            }
        }
        else if (change.StateBefore == IncidentState.Resolved && incident.State == IncidentState.Investigating)
        {
            change.Record(EntryKind.Escalation, $"Escalation restarted: {incident.Id} was reopened by {change.Actor.Name}.");
            EscalationChain.Start(change, state, $"reopened by {change.Actor.Name}");
        }
        else if (!incident.IsOpen && Incident.IsOpenState(change.StateBefore))
        {
            if (EscalationChain.Stop(state, $"{incident.State}"))
            {
                change.Record(EntryKind.Escalation, $"Escalation stopped: {incident.Id} is {incident.State} ({change.Actor.Name}) before anyone acknowledged.");
            }
        }

        if (incident.Commander is not null)
        {
            state.NextCommanderReminderAt = null;
        }

        EscalationReminders.NoteStatusUpdates(state, incident);
    }

}
