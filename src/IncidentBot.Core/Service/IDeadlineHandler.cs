using IncidentBot.Core.Incidents;

namespace IncidentBot.Core.Service;

/// <summary>
/// A kind of deadline kept on incidents (an escalation level, a status reminder, a bypass review). Deadlines are
/// data on the incident; one background scheduler asks every handler for the next due time of every open incident
/// and, when it has passed, calls <see cref="OnDue"/> under the incident's lock. Implementations must make
/// <see cref="OnDue"/> move the deadline on (or clear it), so the same deadline is never acted on twice.
/// </summary>
public interface IDeadlineHandler
{
    /// <summary>When this handler next needs to act on <paramref name="incident"/>, or null for never.</summary>
    DateTimeOffset? NextDue(Incident incident);

    /// <summary>Acts on what is due at <see cref="IncidentChange.Now"/>: records, posts, moves the deadline on.</summary>
    void OnDue(IncidentChange change);
}
