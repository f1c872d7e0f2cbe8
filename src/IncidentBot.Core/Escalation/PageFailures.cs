using IncidentBot.Core.Incidents;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Core.Service;
using IncidentBot.Core.Timeline;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentBot.Core.Escalation;

/// <summary>
/// A page that did not reach its person, applied under the incident's lock: said in the room and on the timeline, and
/// the level after the one that person was paged at is paged now, as <c>/incident escalate</c> would. Nothing more
/// happens when the incident no longer pages (acknowledged, resolved) or the chain is already past that level; the
/// same person at the same level is handled once however often the adapter reports it.
/// </summary>
/// <remarks>
/// Resolves <see cref="IncidentService"/> when called, not when built: the service publishes to the chat surfaces,
/// whose publishers report failures here, so taking it in the constructor would be a dependency cycle.
/// </remarks>
public sealed class PageFailures(IServiceProvider services) : IPageFailures
{
    public async Task UndeliveredAsync(string incidentId, string person, string why, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IncidentService>().ChangeAsync(incidentId, Actor.Bot, change => Apply(change, person, why), cancellationToken);
    }

    /// <summary>The rule itself; refuses (so nothing is saved or posted) when there is nothing to do.</summary>
    public static Outcome Apply(IncidentChange change, string person, string why)
    {
        var incident = change.Incident;
        if (!incident.IsOpen || incident.Escalation is not { } state || state.StoppedBecause is not null)
        {
            return Outcome.Refused($"{incident.Id} no longer pages anyone.");
        }

        var ping = state.Pings.LastOrDefault(p => p.Chain == state.Chain && p.People.Contains(person, StringComparer.OrdinalIgnoreCase));
        if (ping is null)
        {
            return Outcome.Refused($"{person} was not paged in the current chain of {incident.Id}.");
        }

        var key = $"{ping.Chain}/{ping.Round}/{ping.Level}/{person.ToLowerInvariant()}";
        if (state.Undelivered.Contains(key) || ping.Round < state.Round || ping.Level < state.Level)
        {
            return Outcome.Refused($"{person}'s page at level {ping.Level} of {incident.Id} is already dealt with.");
        }

        state.Undelivered.Add(key);
        var next = state.Level + 1;
        var more = next <= state.Policy.Levels.Count;
        var said = $"Could not reach {person}: {why}. " + (more ? "Paging the next level now." : "There is no further level to page.");
        change.Record(EntryKind.Escalation, said);
        change.Post(ChatMessage.Warn(said));
        if (more)
        {
            EscalationChain.PageNextNow(change, state, $"{person} could not be reached", byHand: null);
        }

        return Outcome.Done(said);
    }
}
