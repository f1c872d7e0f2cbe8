using IncidentBot.Core;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Hosting.Operations;

/// <summary>
/// The store as the rest of the bot sees it, plus the operator's view: every timeline entry (transitions, pages,
/// approvals, actions, notes) and every audit event becomes a structured log event carrying the incident id, and new
/// transitions and audit events move the metrics (a drill's do not: it is practice). Everything recorded passes here,
/// whichever code recorded it.
/// </summary>
public sealed class ObservedIncidentStore(IIncidentStore inner, BotMetrics metrics, ILogger<ObservedIncidentStore> log) : IIncidentStore
{
    public int NextNumber() => inner.NextNumber();

    public Incident? Find(string id) => inner.Find(id);

    public bool Exists(string id) => inner.Exists(id);

    public IncidentState? StateOf(string id) => inner.StateOf(id);

    public IReadOnlyList<Incident> List(bool openOnly) => inner.List(openOnly);

    public Incident? FindByChannel(string platform, string channelId) => inner.FindByChannel(platform, channelId);

    public void Commit(Incident incident, IReadOnlyList<TimelineEntry> entries)
    {
        var known = inner.Find(incident.Id)?.Transitions.Count ?? 0;
        inner.Commit(incident, entries);
        foreach (var entry in entries)
        {
            Logged(entry);
        }

        if (incident.Drill)
        {
            return;
        }

        foreach (var transition in incident.Transitions.Skip(known))
        {
            var severity = SeverityText.Format(incident.Severity);
            metrics.Transitions.WithLabels(transition.To.ToString()).Inc();
            if (transition.From == IncidentState.Declared && incident.FirstTransitionTo(transition.To) == transition)
            {
                metrics.TimeToAcknowledge.WithLabels(severity).Observe(Seconds(transition.At - incident.DeclaredAt));
            }

            if (transition.To == IncidentState.Resolved)
            {
                metrics.TimeToResolve.WithLabels(severity).Observe(Seconds(transition.At - incident.DeclaredAt));
            }
        }
    }

    public void Append(TimelineEntry entry)
    {
        inner.Append(entry);
        Logged(entry);
    }

    public bool HasEntry(string sourceRef) => inner.HasEntry(sourceRef);

    public bool ReplaceEntryText(string sourceRef, string text) => inner.ReplaceEntryText(sourceRef, text);

    public bool RemoveEntry(string sourceRef) => inner.RemoveEntry(sourceRef);

    public IReadOnlyList<TimelineEntry> Timeline(string incidentId) => inner.Timeline(incidentId);

    public void AppendAudit(AuditEntry entry)
    {
        inner.AppendAudit(entry);
        if (inner.Find(entry.IncidentId)?.Drill != true)
        {
            metrics.Actions.WithLabels(entry.Action, entry.Event).Inc();
        }

        log.LogInformation(
            "{IncidentId} audit {AuditEvent} {Action} {ApprovalId} by {Actor}: {Detail}",
            entry.IncidentId, entry.Event, entry.Action, entry.ApprovalId ?? "-", entry.Actor, entry.Detail);
    }

    public IReadOnlyList<AuditEntry> Audit(string incidentId) => inner.Audit(incidentId);

    private void Logged(TimelineEntry entry) =>
        log.LogInformation("{IncidentId} {Kind} by {Actor}: {Text}", entry.IncidentId, entry.Kind, entry.Actor, entry.Text);

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
