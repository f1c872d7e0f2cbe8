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

/// <summary>Rooms and the audit log over the store: under the incident's lock for rooms, appended as it happens for the audit.</summary>
public sealed class StoreSeams(IIncidentStore store, IncidentLocks locks) : IIncidentRooms, IAuditLog
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
}
