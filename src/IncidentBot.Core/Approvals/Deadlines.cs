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

/// <summary>While a switch is on (emergency bypass, webhook pause), reminds the room every few minutes, louder once its review time has passed.</summary>
public sealed class SwitchReminder(IOptions<ApprovalOptions> options) : IDeadlineHandler
{
    public DateTimeOffset? NextDue(Incidents.Incident incident) => incident.Switches.Select(s => (DateTimeOffset?)s.NextReminder).Min();

    public void OnDue(IncidentChange change)
    {
        foreach (var on in change.Incident.Switches.Where(s => s.NextReminder <= change.Now))
        {
            var id = change.Incident.Id;
            var minutes = (int)(change.Now - on.Since).TotalMinutes;
            var overdue = change.Now >= on.ReviewBy;
            var text = overdue
                ? $"The {on.Display} has been ON for {minutes} minutes and its review at {IncidentViews.Time(on.ReviewBy)} is overdue: turn it off ({on.HowToTurnOff(id)}) or record why it stays on."
                : $"Reminder: {on.Display} is ON ({minutes} minutes so far); review by {IncidentViews.Time(on.ReviewBy)}. Turn it off with {on.HowToTurnOff(id)}.";
            change.Record(EntryKind.Action, text, Actor.Bot.Name);
            change.Post(overdue ? ChatMessage.Warn(text) : ChatMessage.Plain(text));
            on.NextReminder = change.Now.AddMinutes(options.Value.BypassReminderMinutes);
        }
    }
}
