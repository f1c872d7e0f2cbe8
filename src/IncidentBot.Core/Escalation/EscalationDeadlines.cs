using IncidentBot.Core.Incidents;
using IncidentBot.Core.Service;

namespace IncidentBot.Core.Escalation;

/// <summary>The next escalation level, when it is due.</summary>
public sealed class PingDeadline : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incident incident) =>
        incident.Escalation is { StoppedBecause: null, NextPingAt: { } due } ? due : null;

    public void OnDue(IncidentChange change) => EscalationChain.PageDue(change, change.Incident.Escalation!);
}

/// <summary>The status-update reminder of an open incident.</summary>
public sealed class StatusReminderDeadline : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incident incident) => incident.Escalation?.NextStatusReminderAt;

    public void OnDue(IncidentChange change) => EscalationReminders.RemindStatus(change, change.Incident.Escalation!);
}

/// <summary>The reminder to name a commander, while none is named.</summary>
public sealed class CommanderReminderDeadline : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incident incident) =>
        incident.Commander is null ? incident.Escalation?.NextCommanderReminderAt : null;

    public void OnDue(IncidentChange change) => EscalationReminders.RemindCommander(change, change.Incident.Escalation!);
}
