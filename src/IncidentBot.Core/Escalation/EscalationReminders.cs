using IncidentBot.Core.Messaging;
using IncidentBot.Core.Reports;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Escalation;

/// <summary>The two reminders an open incident gets: post a status update, name a commander. One post each, never a burst.</summary>
public static class EscalationReminders
{
    public static void RemindStatus(IncidentChange change, EscalationState state)
    {
        var incident = change.Incident;
        var due = state.NextStatusReminderAt ?? change.Now;
        var every = state.Policy.StatusUpdateEvery;
        var since = ReportWriter.Duration(change.Now - (state.LastStatusAt ?? incident.DeclaredAt));
        var who = incident.Commander is { } commander ? $"{Mention.Of(commander)}, time" : "Time";
        change.Record(EntryKind.Escalation, $"Reminded the room to post a status update (none for {since}; every {ReportWriter.Duration(every)}).{Late(change, due)}");
        change.Post(new ChatMessage
        {
            Kind = MessageKind.Ping,
            Text = $"{who} for a status update on {incident.Id}: nothing posted for {since}. Post it with `/incident note {incident.Id} <what we know>`.{Late(change, due)}",
        });

        // From now, not from the due time: after downtime one reminder is enough.
        state.LastStatusAt = change.Now;
        state.NextStatusReminderAt = every > TimeSpan.Zero ? change.Now + every : null;
    }

    public static void RemindCommander(IncidentChange change, EscalationState state)
    {
        var incident = change.Incident;
        var every = state.Policy.CommanderReminderEvery;
        if (incident.Commander is not null || every <= TimeSpan.Zero)
        {
            state.NextCommanderReminderAt = null;
            return;
        }

        var due = state.NextCommanderReminderAt ?? change.Now;
        var nudge = state.AcknowledgedBy ?? incident.Declarer;
        change.Record(EntryKind.Escalation, $"Reminded the room that {incident.Id} has no commander ({ReportWriter.Duration(change.Now - incident.DeclaredAt)} after declaration).{Late(change, due)}");
        change.Post(new ChatMessage
        {
            Kind = MessageKind.Ping,
            Text = $"{incident.Id} has no commander yet. {Mention.Of(nudge)}, take it or name someone: `/incident commander {incident.Id} @who`.{Late(change, due)}",
        });
        state.NextCommanderReminderAt = change.Now + every;
    }

    /// <summary>A note is a status update: the next status reminder counts from it.</summary>
    public static void NoteStatusUpdates(EscalationState state, Incidents.Incident incident)
    {
        if (incident.Notes.Count == 0 || state.NextStatusReminderAt is null)
        {
            return;
        }

        var last = incident.Notes.Max(n => n.At);
        if (last > (state.LastStatusAt ?? DateTimeOffset.MinValue))
        {
            state.LastStatusAt = last;
            state.NextStatusReminderAt = last + state.Policy.StatusUpdateEvery;
        }
    }

    private static string Late(IncidentChange change, DateTimeOffset due) =>
        change.Now - due >= EscalationChain.LateAfter ? $" (Late: due at {IncidentViews.Time(due)}; the bot was not running then.)" : "";
}
