using IncidentBot.Core.Messaging;
using IncidentBot.Core.Incidents;
using IncidentBot.Core.Timeline;

namespace IncidentBot.Core;

/// <summary>Where incidents, their timelines and the audit log are kept. Implemented over LiteDB in IncidentBot.Storage.</summary>
public interface IIncidentStore
{
    /// <summary>The next incident number, never handed out twice, also across restarts.</summary>
    int NextNumber();

    Incident? Find(string id);

    /// <summary>Whether there is an incident <paramref name="id"/>, without reading it when the store can tell otherwise.</summary>
    bool Exists(string id) => Find(id) is not null;

    /// <summary>The incident's state, without reading the whole incident when the store can tell otherwise; null when there is none.</summary>
    IncidentState? StateOf(string id) => Find(id)?.State;

    IReadOnlyList<Incident> List(bool openOnly);

    Incident? FindByChannel(string platform, string channelId);

    /// <summary>Saves the incident and appends the entries in one transaction: both land or neither does.</summary>
    void Commit(Incident incident, IReadOnlyList<TimelineEntry> entries);

    void Append(TimelineEntry entry);

    /// <summary>Whether an entry with this source reference already exists (chat retries, duplicate deliveries).</summary>
    bool HasEntry(string sourceRef);

    bool ReplaceEntryText(string sourceRef, string text);

    bool RemoveEntry(string sourceRef);

    IReadOnlyList<TimelineEntry> Timeline(string incidentId);

    void AppendAudit(AuditEntry entry);

    IReadOnlyList<AuditEntry> Audit(string incidentId);
}

/// <summary>
/// One chat platform's way out (terminal, Slack, Teams). The service hands it every change as a
/// <see cref="Publication"/> while it still holds the incident's lock, so publications arrive in order;
/// a surface that talks to a slow API should queue and return, and must not call back into the
/// service for the same incident before returning.
/// </summary>
public interface IChatSurface
{
    string Platform { get; }

    Task PublishAsync(Publication publication, CancellationToken cancellationToken);
}
