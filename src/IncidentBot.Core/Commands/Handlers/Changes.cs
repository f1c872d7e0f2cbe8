using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Commands.Handlers;

/// <summary>
/// The one way handlers change an incident: under its lock, re-checking a button's guard there, posting the outcome to
/// the room. A button whose guard already fails on the last committed incident is refused before the lock is taken: a
/// press on a stale button (the same ping pressed by everyone paged) never queues behind the changes of that incident.
/// </summary>
public static class Changes
{
    public static async Task<Reply> ApplyAsync(
        IncidentService incidents,
        CommandRequest request,
        string entryKind,
        Func<IncidentChange, Outcome> apply,
        CancellationToken cancellationToken,
        Action<IncidentChange>? then = null)
    {
        if (request.Context.Guard is { Length: > 0 } pressed && StaleAlready(incidents, request.Incident!, pressed) is { } staleAlready)
        {
            return Reply.Refused(staleAlready);
        }

        var outcome = await incidents.ChangeAsync(request.Incident, request.Actor, request.Context.Origin, change =>
        {
            var stale = request.Context.Guard is { Length: > 0 } guard ? change.Incident.StaleReason(guard, change.Runbook) : null;
            if (stale is not null)
            {
                return Outcome.Refused(stale);
            }

            var result = apply(change);
            if (result.Succeeded)
            {
                change.Record(entryKind, result.Message);
                change.Post(ChatMessage.Plain(result.Message));
                then?.Invoke(change);
            }

            return result;
        }, cancellationToken);

        return outcome.Succeeded ? Reply.Text(outcome.Message) with { PostedInRoom = true } : Reply.Refused(outcome.Message);
    }

    /// <summary>Why <paramref name="guard"/> already fails on the last committed incident, if it does (a state guard reads the state only).</summary>
    private static string? StaleAlready(IncidentService incidents, string incidentId, string guard)
    {
        const string state = "state:";
        if (guard.StartsWith(state, StringComparison.Ordinal))
        {
            return incidents.StateOf(incidentId) is { } now ? Incident.StaleState(incidentId.ToUpperInvariant(), now, guard[state.Length..]) : null;
        }

        return incidents.Find(incidentId) is { } committed ? committed.StaleReason(guard, incidents.RunbookOf(committed)) : null;
    }

    /// <summary>After a step moved on: post the next step's card, or say the runbook is finished.</summary>
    public static void PostNextStep(IncidentChange change)
    {
        if (IncidentViews.StepCard(change.Incident, change.Runbook) is { } next)
        {
            change.Post(next);
        }
        else
        {
            change.Post(ChatMessage.Plain($"{change.Incident.Id}: all steps of {change.Runbook.Title} are finished."));
        }
    }
}
