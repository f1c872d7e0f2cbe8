using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core.Service;

/// <summary>
/// What a chat adapter tells the core about an incident's home on its platform, once it has opened it (a channel and
/// its pinned card). Narrow on purpose: an adapter needs this and nothing else of the service to publish.
/// </summary>
public interface IIncidentRooms
{
    Task AttachRoomAsync(string incidentId, Room room, CancellationToken cancellationToken);
}

/// <summary>The incident's append-only audit log: every request, decision, call to an outside API and its result.</summary>
public interface IAuditLog
{
    void Append(AuditEntry entry);
}

/// <summary>
/// A line an adapter adds to an incident's timeline about its own delivery (a room it cannot write to, and when it
/// could again): recorded as the bot, with no publication, so it is never posted back into the room it is about.
/// </summary>
public interface ITimelineRecorder
{
    /// <summary>Appends the line now; nothing when the incident does not exist.</summary>
    void Record(string incidentId, string kind, string text);
}

/// <summary>
/// Rooms, the audit log and adapters' timeline lines over the store: under the incident's lock for rooms, appended as
/// it happens for the audit and the lines (an append changes nothing a change under the lock reads).
/// </summary>
public sealed class StoreSeams(IIncidentStore store, IncidentLocks locks, TimeProvider time) : IIncidentRooms, IAuditLog, ITimelineRecorder
{
    public async Task AttachRoomAsync(string incidentId, Room room, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(incidentId, cancellationToken))
        {
            var incident = store.Find(incidentId) ?? throw new InvalidOperationException($"{incidentId} does not exist");
            incident.Rooms.RemoveAll(r => r.Platform == room.Platform);
            incident.Rooms.Add(room);
            store.Commit(incident, []);
        }
    }

    public void Append(AuditEntry entry) => store.AppendAudit(entry);

    public void Record(string incidentId, string kind, string text)
    {
        if (store.Find(incidentId) is not null)
        {
            store.Append(new TimelineEntry { IncidentId = incidentId, At = time.GetUtcNow(), Actor = People.Actor.Bot.Name, Kind = kind, Text = text });
        }
    }
}
