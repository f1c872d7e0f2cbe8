using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.Options;

namespace IncidentBot.Core.Approvals;

/// <summary>Expires approval requests nobody decided in time.</summary>
public sealed class ApprovalExpiry(ApprovalLedger ledger) : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incidents.Incident incident) =>
        incident.Approvals.Where(a => a.State == ApprovalState.Pending).Select(a => (DateTimeOffset?)a.ExpiresAt).Min();

    public void OnDue(IncidentChange change)
    {
        foreach (var request in change.Incident.Approvals.Where(a => a.State == ApprovalState.Pending && a.ExpiresAt <= change.Now))
        {
            ledger.Expire(change, request);
        }
    }
}

/// <summary>While the emergency bypass is on, reminds the room every few minutes, louder once its review time has passed.</summary>
public sealed class BypassReminder(IOptions<ApprovalOptions> options) : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incidents.Incident incident) => incident.Bypass?.NextReminder;

    public void OnDue(IncidentChange change)
    {
        if (change.Incident.Bypass is not { } bypass)
        {
            return;
        }

        var minutes = (int)(change.Now - bypass.Since).TotalMinutes;
        var overdue = change.Now >= bypass.ReviewBy;
        var text = overdue
            ? $"Emergency bypass has been ON for {minutes} minutes and its review at {IncidentViews.Time(bypass.ReviewBy)} is overdue: turn it off (`/incident hook {change.Incident.Id} emergency-bypass-off`) or record why it stays on."
            : $"Reminder: emergency bypass is ON ({minutes} minutes so far); review by {IncidentViews.Time(bypass.ReviewBy)}. Turn it off with `/incident hook {change.Incident.Id} emergency-bypass-off`.";
        change.Record(EntryKind.Action, text, Actor.Bot.Name);
        change.Post(overdue ? ChatMessage.Warn(text) : ChatMessage.Plain(text));
        bypass.NextReminder = change.Now.AddMinutes(options.Value.BypassReminderMinutes);
    }
}
